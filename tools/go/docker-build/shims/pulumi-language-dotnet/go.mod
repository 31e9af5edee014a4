// A stand-in for github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3: the proxy refuses
// v3.107.0 (what docker-build v0.0.22 asks for) and its neighbours down to v3.90.0; the served
// v3.110.0 needs a newer pulumi/pkg that breaks pulumi-go-provider v1.3.2. The provider only
// uses the C# language-section type of its schema.
module github.com/pulumi/pulumi-dotnet/pulumi-language-dotnet/v3

go 1.26
