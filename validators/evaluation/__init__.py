"""Evaluation of the detectors against labelled corpora (``article-validators eval``)."""
