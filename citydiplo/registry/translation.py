"""Content fields translated per language (es, en, pt, fr) by django-modeltranslation."""

from modeltranslation.translator import TranslationOptions, register

from citydiplo.registry.models import Actor, Agreement, AgreementNote, Event, Membership, Project, Theme


@register(Theme)
class ThemeTranslation(TranslationOptions):
    fields = ("name",)


@register(Actor)
class ActorTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Membership)
class MembershipTranslation(TranslationOptions):
    fields = ("notes",)


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "description")


@register(AgreementNote)
class AgreementNoteTranslation(TranslationOptions):
    fields = ("why_signed", "notes")


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "description")


@register(Event)
class EventTranslation(TranslationOptions):
    fields = ("title", "description")
