// Package info maps the Terraform random provider onto Pulumi's random package: the resource
// tokens and property names the npm @pulumi/random SDK sends (random:index/randomPassword:
// RandomPassword, ...). Ours, because upstream's lives in the refused provider module; the
// settings that shape tokens, IDs and state follow its v4.21.1 release, so a state written by
// this build is one the published plugin reads.
package info

import (
	"context"
	"fmt"

	pf "github.com/pulumi/pulumi-terraform-bridge/v3/pkg/pf/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge"
	"github.com/pulumi/pulumi-terraform-bridge/v3/pkg/tfbridge/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/terraform-providers/terraform-provider-random/shim"
)

// Provider returns the bridge's description of the random provider at version, with the
// bridge metadata tfgen wrote (nil when tfgen itself is about to write it).
func Provider(version string, metadata []byte) tfbridge.ProviderInfo {
	prov := tfbridge.ProviderInfo{
		P:            pf.ShimProvider(shim.NewProvider()),
		Name:         "random",
		Description:  "A Pulumi package to safely use randomness in Pulumi programs.",
		Keywords:     []string{"pulumi", "random"},
		License:      "Apache-2.0",
		Version:      version,
		MetadataInfo: tfbridge.NewProviderMetadata(metadata),
		Resources: map[string]*tfbridge.ResourceInfo{
			// random_bytes has no "id" attribute: its ID is its value, as upstream's.
			"random_bytes": {ComputeID: idFromBase64},
		},
		JavaScript: &tfbridge.JavaScriptInfo{RespectSchemaVersion: true},
		// Upstream's choices: previews computed by the provider itself, and raw state deltas.
		EnableAccurateBridgePreview: true,
		EnableRawStateDelta:         true,
	}
	// random_password -> random:index/randomPassword:RandomPassword, like the published package.
	prov.MustComputeTokens(tokens.SingleModule("random_", "index", func(module, name string) (string, error) {
		return tokens.MakeStandard("random")(module, "Random"+name)
	}))
	prov.MustApplyAutoAliases()
	return prov
}

func idFromBase64(_ context.Context, state resource.PropertyMap) (resource.ID, error) {
	v, ok := state["base64"]
	if !ok {
		return "", fmt.Errorf("random_bytes state has no base64 property")
	}
	// The value is sensitive (a secret in Pulumi), but IDs cannot carry a secret marker.
	if v.IsSecret() {
		v = v.SecretValue().Element
	}
	if !v.IsString() {
		return "", fmt.Errorf("random_bytes base64 is not a string")
	}
	return resource.ID(v.StringValue()), nil
}
