//go:build tools

// Package tools pins the provider's main package so `go mod tidy` keeps its requirements.
package tools

import _ "github.com/pulumi/pulumi-docker-build/provider/cmd/pulumi-resource-docker-build"
