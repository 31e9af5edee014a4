//go:build tools

// Package tools pins the main packages built from this module, so `go mod tidy` keeps their
// requirements: the docker-build provider, and the BuildKit daemon it builds with (its remote
// driver; the provider does not support the Docker engine's built-in builder).
package tools

import (
	_ "github.com/moby/buildkit/cmd/buildkitd"
	_ "github.com/pulumi/pulumi-docker-build/provider/cmd/pulumi-resource-docker-build"
)
