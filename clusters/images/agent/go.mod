module shakedown.dev/agent

go 1.24
