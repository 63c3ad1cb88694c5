"""The Discover page: search the Hugging Face Hub, read a model card, pick a quant, download it."""
