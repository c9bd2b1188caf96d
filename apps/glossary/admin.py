from django.contrib import admin

from apps.glossary.models import Decomposition, Definition, DefinitionEquivalence, Term, TermAlias


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


@admin.register(Definition)
class DefinitionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "term", "proposed_by", "created_at"]
    list_filter = ["term__workspace"]
    search_fields = ["text", "label", "term__name"]
    raw_id_fields = ["term", "source_claim", "created_by"]


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
