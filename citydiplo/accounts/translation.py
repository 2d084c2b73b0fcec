from modeltranslation.translator import TranslationOptions, register

from citydiplo.accounts.models import Organisation


@register(Organisation)
class OrganisationTranslation(TranslationOptions):
    fields = ("name",)
