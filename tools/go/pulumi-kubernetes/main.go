// Command pulumi-resource-kubernetes serves the Pulumi Kubernetes provider.
//
// Upstream's main embeds files that `go generate` writes and git ignores, so they are not in the
// module zip. tools/toolchain.sh derives them from the module's committed schema.json and
// terraform-mapping.json into embed/ (gitignored) before building; the version is set by ldflags.
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed embed/schema.json
var schema []byte

//go:embed embed/terraform-mapping.json
var terraformMapping []byte

func main() {
	provider.Serve("kubernetes", version.Version, schema, terraformMapping)
}
