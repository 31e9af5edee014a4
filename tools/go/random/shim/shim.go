// Package shim hands the Terraform random provider (a terraform-plugin-framework provider kept
// in an internal package) to the Pulumi bridge.
package shim

import (
	"github.com/hashicorp/terraform-plugin-framework/provider"

	random "github.com/terraform-providers/terraform-provider-random/internal/provider"
)

// NewProvider returns the Terraform random provider, unconfigured.
func NewProvider() provider.Provider { return random.New() }
