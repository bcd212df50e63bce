"""cardsender: personal printed follow-up cards after customer-service calls."""

__version__ = "0.1.0"
APP_NAME = "cardsender"
