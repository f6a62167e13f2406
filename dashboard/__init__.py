"""voice-dashboard: children's voice beside the DfE children's social care metrics."""

__version__ = "0.1.0"
