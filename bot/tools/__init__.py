"""Curator and evaluation tools: the only package that may use both floors (faq/ and the bot).

``commands`` runs them for both command lines (``python -m bot check|review|eval-*`` and, through
entry points, ``python -m faq review`` and ``--config``); ``check`` validates everything the bot
loads; ``evaluate`` (safety, small talk, masking) and ``evaluate_conversations`` measure;
``review_report`` reads the opt-in review record for curators.
"""
