"""tenure: subscription contracts and billing for SaaS vendors selling in Germany and the EU."""

__version__ = "0.1.0"
