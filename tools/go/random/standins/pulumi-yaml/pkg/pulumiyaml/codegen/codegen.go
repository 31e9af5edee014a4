// Package codegen stands in for pulumi-yaml's program generator, which the Terraform bridge
// imports to translate examples into YAML for docs.
package codegen

import (
	"errors"

	"github.com/hashicorp/hcl/v2"
	"github.com/pulumi/pulumi/pkg/v3/codegen/pcl"
)

// GenerateProgram always fails: YAML example translation is not part of this build.
func GenerateProgram(*pcl.Program) (map[string][]byte, hcl.Diagnostics, error) {
	return nil, nil, errors.New("YAML program generation is not available in this build (stand-in module)")
}
