// A stand-in for github.com/pulumi/pulumi-yaml: the proxy refuses the pseudo-version the
// Terraform bridge v3.135.0 asks for (v1.37.1-0.20260717123218-294c561f47f4), and the served
// v1.25.0 predates the Pulumi SDK this build uses. The bridge imports only its example
// translator (Terraform examples into YAML for docs), which this build skips.
module github.com/pulumi/pulumi-yaml

go 1.25

require (
	github.com/hashicorp/hcl/v2 v2.24.0
	github.com/pulumi/pulumi/pkg/v3 v3.253.0
)
