"""A role-play workshop: mounted by spiegel.urls under /workshops/ (the staff's pages) and,
for `public_urlpatterns`, under /w/ (the participants' personal links, no account needed)."""

from django.urls import path

from workshops.views import participant, staff

urlpatterns = [
    path("", staff.workshop_list, name="workshop_list"),
    path("new/", staff.workshop_create, name="workshop_create"),
    path("<int:pk>/", staff.workshop_detail, name="workshop_detail"),
    path("<int:pk>/edit/", staff.workshop_edit, name="workshop_edit"),
    path("<int:pk>/links/", staff.workshop_links, name="workshop_links"),
    path("<int:pk>/move/<str:action>/", staff.workshop_move, name="workshop_move"),
    path("<int:pk>/summary/", staff.workshop_summary, name="workshop_summary"),
    path("<int:pk>/summary.pdf", staff.workshop_summary_pdf, name="workshop_summary_pdf"),
    path("<int:pk>/<str:kind>/new/", staff.workshop_item_add, name="workshop_item_add"),
    path("<int:pk>/<str:kind>/<int:item_pk>/", staff.workshop_item_edit, name="workshop_item_edit"),
    path(
        "<int:pk>/<str:kind>/<int:item_pk>/delete/",
        staff.workshop_item_delete,
        name="workshop_item_delete",
    ),
]

public_urlpatterns = [
    path("<str:token>/", participant.workshop_play, name="workshop_play"),
    path("<str:token>/state", participant.workshop_play_state, name="workshop_play_state"),
    path(
        "<str:token>/rounds/<int:round_pk>/",
        participant.workshop_round_evaluation,
        name="workshop_round_evaluation",
    ),
]
