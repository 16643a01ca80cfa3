"""Knowledge base of the NET FAQ bot: the curated entries, their loader and checks, and the matcher."""

from faq.loader import KnowledgeBaseError, load_knowledge_base
from faq.model import Entry, KnowledgeBase, SourceInfo

__all__ = ["Entry", "KnowledgeBase", "KnowledgeBaseError", "SourceInfo", "load_knowledge_base"]
