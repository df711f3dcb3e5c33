from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from participants.models import (
    AccessLog,
    Invitation,
    Listener,
    Membership,
    Organisation,
    PanelMember,
    PanelMemberContact,
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
    list_display = ["__str__", "session", "status", "consent_participation", "consent_withdrawn_at"]
    list_filter = ["status", "consent_participation", "consent_quotes", "consent_feedback"]
    search_fields = ["session__title", "contact__name"]
    list_select_related = ["session"]
    inlines = [ContactInline]
    raw_id_fields = ["session"]


@admin.register(Listener)
class ListenerAdmin(admin.ModelAdmin):
    list_display = ["name", "function", "organisation_name", "session", "briefed"]
    list_filter = ["briefed", "function"]
    search_fields = ["name", "function", "organisation_name", "session__title"]
    list_select_related = ["session"]
    raw_id_fields = ["session", "user"]


@admin.register(AccessLog)
class AccessLogAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "action", "session", "detail"]
    list_filter = ["action", "at"]
    search_fields = ["user__username", "session__title", "detail"]
    list_select_related = ["user", "session"]
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
