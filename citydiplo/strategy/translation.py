"""The SDG catalogue's names and titles per language (es, en, pt, fr) by django-modeltranslation.

English is the fallback: Open SDG has no Portuguese, and a translation made outdated by the UN's 2025
rewording is stored empty so the English title shows instead of a wrong one.
"""

from modeltranslation.translator import TranslationOptions, register

from citydiplo.strategy.models import SdgGoal, SdgIndicator, SdgTarget


@register(SdgGoal)
class SdgGoalTranslation(TranslationOptions):
    fields = ("short_name", "title")


@register(SdgTarget)
class SdgTargetTranslation(TranslationOptions):
    fields = ("title",)


@register(SdgIndicator)
class SdgIndicatorTranslation(TranslationOptions):
    fields = ("title",)
