from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from findings.models import (
    ActionUpdate,
    Debrief,
    FeedbackLetter,
    Finding,
    FindingRevision,
    ImprovementAction,
    Jotting,
    Lesson,
    ReportJob,
    Theme,
)


class FindingRevisionInline(admin.TabularInline):
    """The kept history of a finding: never edited, never deleted by hand."""

    model = FindingRevision
    extra = 0
    can_delete = False
    fields = ["version", "text", "kind", "speaker", "starred", "edited_by", "edited_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "kind", "speaker", "theme", "starred", "blind_spot"]
    list_filter = ["kind", "starred", "blind_spot", "theme__organisation"]
    search_fields = ["text", "session__title", "theme__name"]
    list_select_related = ["session", "speaker", "theme"]
    raw_id_fields = ["session", "question", "speaker", "theme", "created_by"]
    readonly_fields = ["client_id", "version", "created_at", "updated_at"]
    inlines = [FindingRevisionInline]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["name", "organisation__name"]
    list_select_related = ["organisation"]


@admin.register(Debrief)
class DebriefAdmin(admin.ModelAdmin):
    list_display = ["session", "concluded_at", "concluded_by", "updated_at"]
    list_filter = [("concluded_at", admin.EmptyFieldListFilter)]
    search_fields = ["session__title", "impact", "act_on"]
    list_select_related = ["session", "concluded_by"]
    raw_id_fields = ["session", "concluded_by"]


@admin.register(Lesson)
class LessonAdmin(admin.ModelAdmin):
    list_display = ["__str__", "session", "created_by", "created_at"]
    search_fields = ["text", "session__title"]
    list_select_related = ["session", "created_by"]
    raw_id_fields = ["session", "created_by"]


class ActionUpdateInline(admin.TabularInline):
    """The progress log: append-only, so it stays a trustworthy record."""

    model = ActionUpdate
    extra = 0
    can_delete = False
    fields = ["created_at", "author", "old_status", "new_status", "text"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImprovementAction)
class ImprovementActionAdmin(admin.ModelAdmin):
    list_display = ["title", "session", "owner", "due_date", "priority", "status"]
    list_filter = ["status", "priority", "session__organisations"]
    search_fields = ["title", "description", "client_sentence", "session__title"]
    date_hierarchy = "due_date"
    list_select_related = ["session", "owner"]
    raw_id_fields = ["session", "owner", "created_by"]
    filter_horizontal = ["co_owners"]
    readonly_fields = ["created_at", "updated_at", "closed_at"]
    inlines = [ActionUpdateInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "findings":
            kwargs["widget"] = admin.widgets.ManyToManyRawIdWidget(
                db_field.remote_field, self.admin_site
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(FeedbackLetter)
class FeedbackLetterAdmin(admin.ModelAdmin):
    list_display = ["session", "finalised_at", "finalised_by", "updated_at"]
    list_filter = [("finalised_at", admin.EmptyFieldListFilter)]
    search_fields = ["session__title", "text"]
    list_select_related = ["session", "finalised_by"]
    raw_id_fields = ["session", "finalised_by"]


@admin.register(Jotting)
class JottingAdmin(admin.ModelAdmin):
    """A listener's notes are theirs alone: the admin shows that they exist (to erase them on
    request, or with their session) but never what they say."""

    list_display = ["author", "session", "updated_at", "length"]
    list_filter = ["session__organisations"]
    search_fields = ["author__username", "author__last_name", "session__title"]
    list_select_related = ["author", "session"]
    fields = ["author", "session", "updated_at"]
    readonly_fields = fields

    @admin.display(description=_("lengte (tekens)"))
    def length(self, jotting):
        return len(jotting.text)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Background report renderings; read-only, the file itself is never shown here."""

    list_display = ["created_at", "report", "requested_by", "status", "item_count"]
    list_filter = ["report", "status"]
    search_fields = ["requested_by__username", "filename"]
    list_select_related = ["requested_by"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
