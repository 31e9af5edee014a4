// A stand-in for github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3: the proxy refuses
// the pseudo-version the Terraform bridge v3.135.0 asks for (v3.107.4-0.20260720135410-6a2eb2585b50).
// The bridge uses it for the "csharp" sections of the schema it generates and to translate
// Terraform examples into C# for docs, which this build skips (tfgen --skip-examples).
module github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3

go 1.25

require (
	github.com/hashicorp/hcl/v2 v2.24.0
	github.com/pulumi/pulumi/pkg/v3 v3.253.0
)
