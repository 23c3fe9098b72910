"""Restora models: degradation synthesis, semantic integrator and restorer (PyTorch), ONNX export."""
