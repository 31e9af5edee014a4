package main

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

// packageJSON holds the package.json fields the host reads.
type packageJSON struct {
	Name            string            `json:"name"`
	Version         string            `json:"version"`
	Dependencies    map[string]string `json:"dependencies"`
	DevDependencies map[string]string `json:"devDependencies"`
	Pulumi          struct {
		Resource         bool   `json:"resource"`
		Name             string `json:"name"`
		Version          string `json:"version"`
		Server           string `json:"server"`
		Parameterization *struct {
			Name    string `json:"name"`
			Version string `json:"version"`
			Value   string `json:"value"`
		} `json:"parameterization"`
	} `json:"pulumi"`
}

func readPackageJSON(path string) (*packageJSON, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var p packageJSON
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fmt.Errorf("parsing %s: %w", path, err)
	}
	return &p, nil
}

// nearestNodeModules is the node_modules folder Node would use for a program in dir.
func nearestNodeModules(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "node_modules")
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// findPluginPackages lists the resource plugins the installed npm packages declare
// (`"pulumi": {"resource": true, ...}` in their package.json), which is how the engine learns
// which provider versions the program needs before it runs.
func findPluginPackages(dir string) ([]*pulumirpc.PackageDependency, error) {
	root := nearestNodeModules(dir)
	if root == "" {
		return nil, nil
	}
	found := map[string]*pulumirpc.PackageDependency{}
	seen := map[string]bool{}
	var walk func(nodeModules string) error
	walk = func(nodeModules string) error {
		real, err := filepath.EvalSymlinks(nodeModules)
		if err != nil || seen[real] {
			return nil
		}
		seen[real] = true
		entries, err := os.ReadDir(nodeModules)
		if err != nil {
			return nil
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") {
				continue
			}
			pkgDirs := []string{filepath.Join(nodeModules, name)}
			if strings.HasPrefix(name, "@") {
				scoped, _ := os.ReadDir(pkgDirs[0])
				pkgDirs = pkgDirs[:0]
				for _, s := range scoped {
					pkgDirs = append(pkgDirs, filepath.Join(nodeModules, name, s.Name()))
				}
			}
			for _, pd := range pkgDirs {
				if err := addPluginPackage(pd, found); err != nil {
					return err
				}
				if err := walk(filepath.Join(pd, "node_modules")); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := walk(root); err != nil {
		return nil, err
	}
	keys := make([]string, 0, len(found))
	for k := range found {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*pulumirpc.PackageDependency, 0, len(keys))
	for _, k := range keys {
		out = append(out, found[k])
	}
	return out, nil
}

func addPluginPackage(pkgDir string, found map[string]*pulumirpc.PackageDependency) error {
	p, err := readPackageJSON(filepath.Join(pkgDir, "package.json"))
	if err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	if !p.Pulumi.Resource {
		return nil
	}
	name := p.Pulumi.Name
	if name == "" {
		// @pulumi/kubernetes -> kubernetes; other scopes keep their scope minus the "@".
		name = strings.TrimPrefix(strings.TrimPrefix(p.Name, "@pulumi/"), "@")
	}
	version := p.Pulumi.Version
	if version == "" {
		version = p.Version
	}
	if version != "" && !strings.HasPrefix(version, "v") {
		version = "v" + version
	}
	dep := &pulumirpc.PackageDependency{Name: name, Kind: "resource", Version: version, Server: p.Pulumi.Server}
	key := name + "@" + version
	if pz := p.Pulumi.Parameterization; pz != nil {
		value, err := base64.StdEncoding.DecodeString(pz.Value)
		if err != nil {
			return fmt.Errorf("%s: parameterization value is not base64: %w", pkgDir, err)
		}
		dep.Parameterization = &pulumirpc.PackageParameterization{Name: pz.Name, Version: pz.Version, Value: value}
		key += "/" + pz.Name + "@" + pz.Version
	}
	found[key] = dep
	return nil
}

// programDependencies reports the program's direct npm dependencies with installed versions
// (shown by `pulumi about`).
func programDependencies(dir string) ([]*pulumirpc.DependencyInfo, error) {
	p, err := readPackageJSON(filepath.Join(dir, "package.json"))
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	nodeModules := nearestNodeModules(dir)
	declared := map[string]string{}
	for k, v := range p.DevDependencies {
		declared[k] = v
	}
	for k, v := range p.Dependencies {
		declared[k] = v
	}
	names := make([]string, 0, len(declared))
	for k := range declared {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]*pulumirpc.DependencyInfo, 0, len(names))
	for _, n := range names {
		v := declared[n]
		if nodeModules != "" {
			if inst, err := readPackageJSON(filepath.Join(nodeModules, n, "package.json")); err == nil {
				v = inst.Version
			}
		}
		out = append(out, &pulumirpc.DependencyInfo{Name: n, Version: v})
	}
	return out, nil
}
