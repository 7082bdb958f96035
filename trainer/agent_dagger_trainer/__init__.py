"""agent-dagger's trainer: render canonical trajectories into a student's chat template, pack them as prefix trees,
train (full or LoRA, resumable) and serve the result on the OpenAI protocol."""
