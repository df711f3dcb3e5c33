from django.contrib import admin

from sessions.models import LibraryQuestion, Question, Rule, Session


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "text", "kind", "planned_minutes"]


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["position", "text"]
    fk_name = "session"


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "starts_at", "facilitator"]
    list_filter = ["status", "organisations", "language"]
    search_fields = ["title", "theme", "location"]
    date_hierarchy = "starts_at"
    list_select_related = ["facilitator"]
    filter_horizontal = ["organisations"]
    raw_id_fields = ["facilitator", "co_facilitator", "created_by"]
    inlines = [QuestionInline, RuleInline]


@admin.register(LibraryQuestion)
class LibraryQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "theme", "kind", "planned_minutes", "organisation"]
    list_filter = ["kind", "theme", "organisation"]
    search_fields = ["text", "theme"]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "session", "position", "kind", "planned_minutes"]
    list_filter = ["kind"]
    search_fields = ["text", "session__title"]
    list_select_related = ["session"]
    raw_id_fields = ["session", "source"]


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    """Default rules (no organisation, no session), an organisation's set, or a session's."""

    list_display = ["text", "organisation", "session", "position"]
    list_filter = ["organisation", ("session", admin.EmptyFieldListFilter)]
    search_fields = ["text"]
    list_select_related = ["organisation", "session"]
    raw_id_fields = ["session"]
