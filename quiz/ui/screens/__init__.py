"""The app's screens. Each is small and reads the shared `app.context` (a quiz.context.Context)."""
