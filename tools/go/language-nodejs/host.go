package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/protobuf/types/known/emptypb"
	"google.golang.org/protobuf/types/known/structpb"
)

// exitLoggedByProgram is the exit code @pulumi/pulumi's run entry uses when it already showed the
// user an actionable error; the engine is then told to bail instead of printing a second message.
const exitLoggedByProgram = 32

// nodeHost implements the language runtime service. Everything not listed here answers
// Unimplemented, which the engine treats as "not supported by this host" (program generation,
// templates, prompts, packing SDKs).
type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	nodeBin string
	tracing string

	mu            sync.Mutex
	engineAddress string
}

func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

func (h *nodeHost) Handshake(_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: version}, nil
}

func (h *nodeHost) GetRequiredPackages(_ context.Context, req *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	pkgs, err := findPluginPackages(programDir(req.GetInfo(), ""))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetRequiredPackagesResponse{Packages: pkgs}, nil
}

func (h *nodeHost) GetRequiredPlugins(_ context.Context, req *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	pkgs, err := findPluginPackages(programDir(req.GetInfo(), req.GetProgram()))
	if err != nil {
		return nil, err
	}
	plugins := make([]*pulumirpc.PluginDependency, 0, len(pkgs))
	for _, p := range pkgs {
		plugins = append(plugins, &pulumirpc.PluginDependency{
			Name: p.Name, Kind: p.Kind, Version: p.Version, Server: p.Server,
		})
	}
	return &pulumirpc.GetRequiredPluginsResponse{Plugins: plugins}, nil
}

// InstallDependencies does nothing: dependencies are installed by the project's own scripts
// (npm ci), never behind the engine's back.
func (h *nodeHost) InstallDependencies(*pulumirpc.InstallDependenciesRequest,
	pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	return nil
}

func (h *nodeHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	out, err := exec.CommandContext(ctx, h.nodeBin, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("node --version: %w", err)
	}
	return &pulumirpc.AboutResponse{
		Executable: h.nodeBin,
		Version:    strings.TrimPrefix(strings.TrimSpace(string(out)), "v"),
	}, nil
}

func (h *nodeHost) GetProgramDependencies(_ context.Context, req *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	deps, err := programDependencies(programDir(req.GetInfo(), req.GetProgram()))
	if err != nil {
		return nil, err
	}
	return &pulumirpc.GetProgramDependenciesResponse{Dependencies: deps}, nil
}

// Run executes the user's program once, with the engine's settings passed the way the SDK's
// cmd/run entry reads them: flags for addresses and names, environment for config and options.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	info := req.GetInfo()
	dir := programDir(info, req.GetPwd())
	runScript, err := locateSDKEntry(dir, "run")
	if err != nil {
		return nil, err
	}
	opts := readOptions(info.GetOptions())

	args := append([]string{}, opts.nodeArgs...)
	args = append(args, runScript)
	flag := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name+"="+value)
		}
	}
	flag("monitor", req.GetMonitorAddress())
	flag("engine", h.engine())
	flag("organization", req.GetOrganization())
	flag("project", req.GetProject())
	flag("root-directory", info.GetRootDirectory())
	flag("stack", req.GetStack())
	flag("pwd", req.GetPwd())
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	if req.GetParallel() > 0 {
		flag("parallel", fmt.Sprint(req.GetParallel()))
	}
	flag("tracing", h.tracing)
	args = append(args, entryPoint(info, req.GetProgram(), dir))
	args = append(args, req.GetArgs()...)

	config, err := json.Marshal(orEmpty(req.GetConfig()))
	if err != nil {
		return nil, fmt.Errorf("encoding config: %w", err)
	}
	secretKeys, err := json.Marshal(orEmptySlice(req.GetConfigSecretKeys()))
	if err != nil {
		return nil, fmt.Errorf("encoding secret config keys: %w", err)
	}
	env := append(os.Environ(),
		"PULUMI_CONFIG="+string(config),
		"PULUMI_CONFIG_SECRET_KEYS="+string(secretKeys),
	)
	env = append(env, opts.env()...)

	cmd := exec.CommandContext(ctx, h.nodeBin, args...)
	cmd.Dir = dir
	cmd.Env = env
	// The engine reads our stdout/stderr after the port line and shows it to the user, so the
	// program's console output goes straight through.
	cmd.Stdout = os.Stdout
	cmd.Stderr = os.Stderr
	err = cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return &pulumirpc.RunResponse{}, nil
	case errors.As(err, &exitErr) && exitErr.ExitCode() == exitLoggedByProgram:
		return &pulumirpc.RunResponse{Bail: true}, nil
	case errors.As(err, &exitErr):
		return &pulumirpc.RunResponse{
			Error: fmt.Sprintf("Program exited with non-zero exit code: %d", exitErr.ExitCode()),
		}, nil
	default:
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not run node: %v", err)}, nil
	}
}

// RunPlugin runs a plugin written in Node.js: a policy pack (kind "analyzer", through the SDK's
// cmd/run-policy-pack) or a component/resource provider (through cmd/run-plugin). This is how a
// 3.248 engine starts Node policy packs when a nodejs language host is installed.
func (h *nodeHost) RunPlugin(req *pulumirpc.RunPluginRequest, stream pulumirpc.LanguageRuntime_RunPluginServer) error {
	info := req.GetInfo()
	dir := programDir(info, req.GetProgram())
	opts := readOptions(info.GetOptions())

	args := append([]string{}, opts.nodeArgs...)
	if req.GetKind() == "analyzer" {
		script, err := locateSDKEntry(dir, "run-policy-pack")
		if err != nil {
			return err
		}
		// run-policy-pack expects: <engine-address> <policy pack directory>.
		args = append(args, script)
		args = append(args, req.GetArgs()...)
		args = append(args, dir)
	} else {
		script, err := locateSDKEntry(dir, "run-plugin")
		if err != nil {
			return err
		}
		args = append(args, script, dir)
		args = append(args, req.GetArgs()...)
	}

	env := req.GetEnv()
	if len(env) == 0 {
		env = os.Environ()
	}
	env = append(append([]string{}, env...), opts.env()...)

	cmd := exec.CommandContext(stream.Context(), h.nodeBin, args...)
	cmd.Dir = req.GetPwd()
	// @pulumi/policy reads the pack's version from <cwd>/package.json: a policy pack runs in
	// its own folder, not the project's.
	if cmd.Dir == "" || req.GetKind() == "analyzer" {
		cmd.Dir = dir
	}
	cmd.Env = env
	sender := &streamSender{stream: stream}
	cmd.Stdout = sender.writer(false)
	cmd.Stderr = sender.writer(true)
	err := cmd.Run()
	code := 0
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		code = exitErr.ExitCode()
	default:
		return fmt.Errorf("could not run node: %w", err)
	}
	return sender.send(&pulumirpc.RunPluginResponse{
		Output: &pulumirpc.RunPluginResponse_Exitcode{Exitcode: int32(code)},
	})
}

// streamSender serialises stdout and stderr chunks onto one gRPC stream (Send is not safe for
// concurrent use).
type streamSender struct {
	mu     sync.Mutex
	stream pulumirpc.LanguageRuntime_RunPluginServer
}

func (s *streamSender) send(msg *pulumirpc.RunPluginResponse) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stream.Send(msg)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func (s *streamSender) writer(stderr bool) writerFunc {
	return func(p []byte) (int, error) {
		chunk := append([]byte{}, p...)
		msg := &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stdout{Stdout: chunk}}
		if stderr {
			msg = &pulumirpc.RunPluginResponse{Output: &pulumirpc.RunPluginResponse_Stderr{Stderr: chunk}}
		}
		if err := s.send(msg); err != nil {
			return 0, err
		}
		return len(p), nil
	}
}

// programDir is where the program lives: ProgramInfo when the engine sent it, else the legacy
// string field, else the current directory.
func programDir(info *pulumirpc.ProgramInfo, legacy string) string {
	if d := info.GetProgramDirectory(); d != "" {
		return d
	}
	if legacy != "" {
		if st, err := os.Stat(legacy); err == nil && !st.IsDir() {
			return filepath.Dir(legacy)
		}
		return legacy
	}
	wd, _ := os.Getwd()
	return wd
}

// entryPoint is what cmd/run loads. "." lets it follow the package.json (exports/main) of the
// program directory; a file name (from `main: dir/file.js` in Pulumi.yaml) is loaded as given,
// relative to the program directory. A `main:` directory without its own package.json is passed
// as a path, so Node loads its index.js instead of cmd/run walking up to the root package.json.
func entryPoint(info *pulumirpc.ProgramInfo, legacy, dir string) string {
	ep := info.GetEntryPoint()
	if ep == "" {
		ep = legacy
	}
	if ep == "" || ep == "." {
		if info.GetRootDirectory() != "" && filepath.Clean(dir) != filepath.Clean(info.GetRootDirectory()) {
			if _, err := os.Stat(filepath.Join(dir, "package.json")); os.IsNotExist(err) {
				return dir
			}
		}
		return "."
	}
	return ep
}

// locateSDKEntry finds node_modules/@pulumi/pulumi/cmd/<name> the way Node's resolver would:
// walking up from the program directory. Using the program's own SDK copy is what makes the
// engine <-> SDK protocol match.
func locateSDKEntry(dir, name string) (string, error) {
	if name == "run" {
		if p := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH"); p != "" {
			return p, nil
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(d, "node_modules", "@pulumi", "pulumi", "cmd", name)
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			return p, nil
		}
		if filepath.Dir(d) == d {
			break
		}
	}
	return "", fmt.Errorf("it looks like the Pulumi SDK has not been installed in %s "+
		"(no node_modules/@pulumi/pulumi/cmd/%s found); run npm install", dir, name)
}

// runtimeOptions are the `runtime.options` of Pulumi.yaml / PulumiPolicy.yaml that matter here.
type runtimeOptions struct {
	typescript bool
	tsconfig   string
	nodeArgs   []string
}

func readOptions(s *structpb.Struct) runtimeOptions {
	o := runtimeOptions{typescript: true}
	m := s.AsMap()
	switch v := m["typescript"].(type) {
	case bool:
		o.typescript = v
	case string:
		o.typescript = v != "false"
	}
	if v, ok := m["tsconfig"].(string); ok {
		o.tsconfig = v
	}
	if v, ok := m["nodeargs"].(string); ok {
		o.nodeArgs = strings.Fields(v)
	}
	return o
}

func (o runtimeOptions) env() []string {
	env := []string{fmt.Sprintf("PULUMI_NODEJS_TYPESCRIPT=%t", o.typescript)}
	if o.tsconfig != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+o.tsconfig)
	}
	return env
}

func orEmpty(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return m
}

func orEmptySlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
