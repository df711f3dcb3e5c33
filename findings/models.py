# Findings, themes, the debrief and improvement actions arrive with the live-meeting and
# debrief work; the app exists from the start so its label and migrations are stable.
