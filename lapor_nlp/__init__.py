"""lapor-nlp: routing suggestions for Indonesian public-service complaints."""

__version__ = "0.1.0"
