// A local stand-in for upstream pulumi-random's nested provider/shim module, which is not in any
// module zip (a nested go.mod is cut out of its parent's zip) and whose parent the proxy refuses.
// It must keep upstream's module path: it imports the Terraform provider's internal package,
// which Go allows only from inside github.com/terraform-providers/terraform-provider-random/.
module github.com/terraform-providers/terraform-provider-random/shim

go 1.25.8

require (
	github.com/hashicorp/terraform-plugin-framework v1.19.0
	github.com/terraform-providers/terraform-provider-random v1.3.2-0.20260513075824-f8d869dc98d9
)
