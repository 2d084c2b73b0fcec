"""Content fields translated per language (es, en, pt, fr) by django-modeltranslation, and the records' change
history (which must be registered after the translations: see the end of this file)."""

from modeltranslation.translator import TranslationOptions, register
from simple_history import register as history_register

from citydiplo.registry.models import (
    Actor,
    Agreement,
    AgreementNote,
    Contact,
    Document,
    Event,
    Membership,
    Project,
    Theme,
)


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


# --- Change history ----------------------------------------------------------------------------------
# Every registry record keeps its history (django-simple-history): who changed what and when, shown with
# field diffs on the record's page and restorable (citydiplo/history). The historical models are made
# here, after the translations above, and not with `history = HistoricalRecords()` in models.py: a
# historical model copies the fields its model has when it is built, and the per-language fields
# (name_es, title_fr...) only exist once modeltranslation has registered the model. This is the order
# simple-history's documentation gives for django-modeltranslation.
for _model in (Actor, Membership, Agreement, AgreementNote, Project, Event, Contact, Document):
    history_register(_model, excluded_fields=["updated_at"])
