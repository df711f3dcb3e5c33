from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from participants.constants import AccessAction
from participants.models import (
    AccessLog,
    Invitation,
    Listener,
    Membership,
    Organisation,
    PanelMember,
    PanelMemberContact,
    RightsRequest,
    RoleChange,
    User,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    list_filter = [*BaseUserAdmin.list_filter, "memberships__role"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "network", "retention_days"]
    list_filter = ["kind", "network"]
    search_fields = ["name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "organisation__name"]
    autocomplete_fields = ["user", "organisation"]


class ContactInline(admin.StackedInline):
    model = PanelMemberContact
    can_delete = True


@admin.register(PanelMember)
class PanelMemberAdmin(admin.ModelAdmin):
    """Contact details in the admin are client data like anywhere else: every view, search by
    name and change is written to the access log (DESIGN.md §7), with the member it concerns."""

    list_display = [
        "__str__",
        "session",
        "status",
        "consent_participation",
        "consent_withdrawn_at",
        "erased_at",
    ]
    list_filter = ["status", "consent_participation", "consent_quotes", "consent_feedback"]
    search_fields = ["session__title", "contact__name"]
    list_select_related = ["session"]
    inlines = [ContactInline]
    raw_id_fields = ["session"]
    readonly_fields = ["erased_at"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            member = self.get_object(request, object_id)
            if member is not None:
                AccessLog.record(
                    request.user,
                    AccessAction.VIEW_CONTACTS,
                    panel_member=member,
                    detail=f"{member.pseudonym}: beheer",
                )
        return response

    def changelist_view(self, request, extra_context=None):
        # The list shows pseudonyms only, but a search by name links a name to a pseudonym.
        query = request.GET.get("q", "").strip()
        if query:
            AccessLog.record(
                request.user, AccessAction.VIEW_CONTACTS, detail=f"beheer: zoeken op {query!r}"
            )
        return super().changelist_view(request, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        member = form.instance
        AccessLog.record(
            request.user,
            AccessAction.EDIT_CONTACTS,
            panel_member=member,
            detail=f"{member.pseudonym}: gewijzigd in beheer",
        )


@admin.register(Listener)
class ListenerAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "organisation_name", "session", "briefed"]
    list_filter = ["briefed", "function"]
    search_fields = ["name", "function", "organisation_name", "session__title"]
    list_select_related = ["session"]
    raw_id_fields = ["session", "user"]


@admin.register(RightsRequest)
class RightsRequestAdmin(admin.ModelAdmin):
    """Read-only: requests are handled on the member's rights page, which also changes the
    data; here they are only looked up."""

    list_display = ["at", "session", "panel_member", "kind", "after_close", "by"]
    list_filter = ["kind", "after_close"]
    list_select_related = ["session", "panel_member", "by"]
    raw_id_fields = ["session", "panel_member", "by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "session", "panel_member", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["user__username", "session__title", "detail"]
    list_select_related = ["user", "session", "panel_member"]
    raw_id_fields = ["user", "session", "panel_member"]
    date_hierarchy = "at"

    # An audit log is append-only, also for administrators.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """For emergencies: beheerders invite from /organisations/<pk>/."""

    list_display = ["email", "organisation", "role", "created_at", "accepted_at", "withdrawn_at"]
    list_filter = ["role", "organisation"]
    search_fields = ["email", "organisation__name"]
    list_select_related = ["organisation"]
    raw_id_fields = ["invited_by", "user"]


@admin.register(RoleChange)
class RoleChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "organisation", "kind", "role", "by"]
    list_filter = ["kind", "role", "organisation"]
    search_fields = ["user__username", "organisation__name"]
    list_select_related = ["user", "organisation", "by"]

    # The history of roles is append-only, like the access log.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
