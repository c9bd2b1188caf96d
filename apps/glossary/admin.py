"""The admin for terms, definitions (with their revisions) and decompositions."""

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from apps.annotations.admin import KeepsClaimCounts
from apps.glossary import services
from apps.glossary.models import (
    Decomposition,
    Definition,
    DefinitionEquivalence,
    DefinitionRevision,
    Term,
    TermAlias,
)


class TermAliasInline(admin.TabularInline):
    model = TermAlias
    extra = 0
    fields = ["text", "normalized", "is_canonical"]
    readonly_fields = ["normalized", "is_canonical"]


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "normalized", "created_at"]
    list_filter = ["workspace"]
    search_fields = ["name", "variants__text"]
    readonly_fields = ["normalized"]
    raw_id_fields = ["created_by"]
    inlines = [TermAliasInline]


@admin.register(TermAlias)
class TermAliasAdmin(admin.ModelAdmin):
    list_display = ["text", "term", "normalized", "is_canonical"]
    search_fields = ["text", "normalized"]
    raw_id_fields = ["term"]


class DefinitionAdminForm(forms.ModelForm):
    # The version the form showed, sent back so that saving over someone else's edit is
    # refused, as in the API.
    read_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Definition
        fields = ["term", "text", "label", "proposed_by", "source_claim", "created_by"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["read_version"].initial = self.instance.version

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        current = Definition.objects.filter(pk=self.instance.pk).values_list("version", flat=True)
        if cleaned.get("read_version") != current.first():
            raise forms.ValidationError(
                "Someone else changed this definition since this page was loaded: reload it "
                "and make the change again."
            )
        return cleaned


class DefinitionRevisionInline(admin.TabularInline):
    model = DefinitionRevision
    extra = 0
    can_delete = False
    fields = ["version", "text", "label", "proposed_by", "source_claim", "edited_by", "edited_at"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Definition)
class DefinitionAdmin(KeepsClaimCounts, admin.ModelAdmin):
    term_path = "term"
    form = DefinitionAdminForm
    list_display = ["__str__", "term", "proposed_by", "version", "created_at"]
    list_filter = ["term__workspace"]
    search_fields = ["text", "label", "term__name"]
    raw_id_fields = ["term", "source_claim", "created_by"]
    readonly_fields = ["version"]
    inlines = [DefinitionRevisionInline]

    def save_model(self, request: HttpRequest, obj: Definition, form: Any, change: bool) -> None:
        """An edit of the sense goes through the service, so it gets a version and a revision."""
        content = [f for f in services.DEFINITION_CONTENT if f in form.changed_data]
        if not change or not content:
            super().save_model(request, obj, form, change)
            return
        others = [f for f in form.changed_data if f not in content and f != "read_version"]
        if others:
            obj.save(update_fields=others)
        services.definition_update(
            definition=Definition.objects.get(pk=obj.pk),
            user=request.user,
            version=form.cleaned_data["read_version"],
            **{field: getattr(obj, field) for field in content},
        )


@admin.register(DefinitionEquivalence)
class DefinitionEquivalenceAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "marked_by", "created_at"]
    raw_id_fields = ["first", "second", "marked_by"]


@admin.register(Decomposition)
class DecompositionAdmin(admin.ModelAdmin):
    list_display = ["name", "workspace", "created_at"]
    list_filter = ["workspace"]
    search_fields = ["name", "description"]
    filter_horizontal = ["definitions"]
    raw_id_fields = ["created_by"]
