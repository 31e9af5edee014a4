// The pod sandbox ("pause") process of the local platform's node: holds a pod's namespaces,
// reaps zombies, exits on SIGTERM/SIGINT. Standard library only.
module multicloud-platform/tools/pause

go 1.26.0
