/**
 * The VPC of an AWS cluster: a public and a private subnet per zone, NAT for the private ones.
 * Nodes, pods and data services live in the private subnets; only NAT gateways and internet-facing
 * load balancers use the public ones.
 */
import * as aws from "@pulumi/aws/provider";
import * as ec2 from "@pulumi/aws/ec2";
import { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
import * as pulumi from "@pulumi/pulumi";
import { parseCidr } from "../../../model/network";

/** How many NAT gateways: one for the VPC, or one per zone so a zone loss keeps the others' egress. */
export type NatMode = "single" | "perZone";

/** Subnet CIDRs per zone, index i for zone i. */
export interface SubnetLayout {
    readonly public: readonly string[];
    readonly private: readonly string[];
}

function formatIp(n: number): string {
    return [24, 16, 8, 0].map((shift) => (n >>> shift) & 255).join(".");
}

/**
 * Splits the VPC CIDR (a /16 to /20) for up to three zones. The first three quarters are the
 * private subnets (nodes and pods take their addresses there, so they get the room); the last
 * quarter holds the public subnets, an eighth of it each.
 * 10.0.0.0/16 → private 10.0.0.0/18, 10.0.64.0/18, 10.0.128.0/18; public 10.0.192.0/21, 10.0.200.0/21, 10.0.208.0/21.
 */
export function subnetLayout(vpcCidr: string, zones: number): SubnetLayout {
    const parsed = parseCidr(vpcCidr);
    if (parsed === undefined || parsed.prefix < 16 || parsed.prefix > 20)
        throw new Error(`subnetLayout: ${vpcCidr} must be an IPv4 CIDR from /16 to /20`);
    if (!Number.isInteger(zones) || zones < 1 || zones > 3) throw new Error(`subnetLayout: zones ${zones} must be 1, 2 or 3`);
    const privatePrefix = parsed.prefix + 2;
    const publicPrefix = parsed.prefix + 5;
    const privateSize = 2 ** (32 - privatePrefix);
    const publicSize = 2 ** (32 - publicPrefix);
    const publicBase = parsed.base + 3 * privateSize;
    const indexes = Array.from({ length: zones }, (_, i) => i);
    return {
        private: indexes.map((i) => `${formatIp(parsed.base + i * privateSize)}/${privatePrefix}`),
        public: indexes.map((i) => `${formatIp(publicBase + i * publicSize)}/${publicPrefix}`),
    };
}

/** Number of NAT gateways for the mode. */
export function natGatewayCount(mode: NatMode, zones: number): number {
    return mode === "perZone" ? zones : 1;
}

/** Which NAT gateway the private subnet of zone `zone` routes through. */
export function natIndexForZone(mode: NatMode, zone: number): number {
    return mode === "perZone" ? zone : 0;
}

/** Tag that tells the Kubernetes cloud provider a subnet may be used by this cluster. */
export function clusterTagKey(clusterName: string): string {
    return `kubernetes.io/cluster/${clusterName}`;
}

/** Tags of a subnet: the load balancer role (elb for public, internal-elb for private) and the cluster tag. */
export function subnetTags(kind: "public" | "private", clusterName: string, zone: number): Record<string, string> {
    const role = kind === "public" ? "kubernetes.io/role/elb" : "kubernetes.io/role/internal-elb";
    return { Name: `${clusterName}-${kind}-${zone}`, [role]: "1", [clusterTagKey(clusterName)]: "shared" };
}

/** The zone names to use: the first `count` of the zones the region offers without opt-in. */
export function pickZones(available: readonly string[], count: number, region: string): string[] {
    if (available.length < count) {
        throw new Error(
            `region ${region} offers ${available.length} availability zones (${available.join(", ")}); set platform:aws.availabilityZones to at most ${available.length}`,
        );
    }
    return [...available].sort().slice(0, count);
}

/** Arguments of {@link AwsNetwork}. */
export interface AwsNetworkArgs {
    readonly clusterName: string;
    readonly region: string;
    readonly vpcCidr: string;
    readonly zones: number;
    readonly natGateways: NatMode;
    readonly provider: aws.Provider;
}

/** A VPC with public and private subnets over 2 or 3 zones. */
export class AwsNetwork extends pulumi.ComponentResource {
    public readonly vpcId: pulumi.Output<string>;
    /** The VPC CIDR (plain: NetworkPolicies and security groups are built from it). */
    public readonly vpcCidr: string;
    /** Private subnets, one per zone: nodes, pods and data services. */
    public readonly privateSubnetIds: pulumi.Output<string>[];
    /** Public subnets, one per zone: NAT gateways and internet-facing load balancers. */
    public readonly publicSubnetIds: pulumi.Output<string>[];

    constructor(name: string, args: AwsNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("platform:cluster:AwsNetwork", name, {}, opts);
        const layout = subnetLayout(args.vpcCidr, args.zones);
        const child = { parent: this, provider: args.provider };
        const zones = getAvailabilityZonesOutput(
            { state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] },
            child,
        ).names.apply((names) => pickZones(names, args.zones, args.region));

        const vpc = new ec2.Vpc(
            `${name}-vpc`,
            { cidrBlock: args.vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { Name: args.clusterName } },
            child,
        );
        // The default security group of a new VPC allows all traffic between its members; nothing should use it.
        new ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: { Name: `${args.clusterName}-default-deny` } }, child);
        const gateway = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: { Name: args.clusterName } }, child);
        const publicRoutes = new ec2.RouteTable(
            `${name}-public-rt`,
            { vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: gateway.id }], tags: { Name: `${args.clusterName}-public` } },
            child,
        );

        const publicSubnets = layout.public.map(
            (cidrBlock, i) =>
                new ec2.Subnet(
                    `${name}-public-${i}`,
                    // Nothing launched here needs an automatic public IP: NAT gateways and load balancers bring their own.
                    {
                        vpcId: vpc.id,
                        cidrBlock,
                        availabilityZone: zones[i],
                        mapPublicIpOnLaunch: false,
                        tags: subnetTags("public", args.clusterName, i),
                    },
                    child,
                ),
        );
        publicSubnets.forEach(
            (subnet, i) =>
                new ec2.RouteTableAssociation(`${name}-public-${i}-rta`, { subnetId: subnet.id, routeTableId: publicRoutes.id }, child),
        );

        const nats = Array.from({ length: natGatewayCount(args.natGateways, args.zones) }, (_, i) => {
            const eip = new ec2.Eip(`${name}-nat-${i}-eip`, { domain: "vpc", tags: { Name: `${args.clusterName}-nat-${i}` } }, child);
            return new ec2.NatGateway(
                `${name}-nat-${i}`,
                { allocationId: eip.id, subnetId: publicSubnets[i].id, tags: { Name: `${args.clusterName}-nat-${i}` } },
                { ...child, dependsOn: [gateway] },
            );
        });

        const privateSubnets = layout.private.map((cidrBlock, i) => {
            const subnet = new ec2.Subnet(
                `${name}-private-${i}`,
                {
                    vpcId: vpc.id,
                    cidrBlock,
                    availabilityZone: zones[i],
                    mapPublicIpOnLaunch: false,
                    tags: subnetTags("private", args.clusterName, i),
                },
                child,
            );
            const routes = new ec2.RouteTable(
                `${name}-private-${i}-rt`,
                {
                    vpcId: vpc.id,
                    routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nats[natIndexForZone(args.natGateways, i)].id }],
                    tags: { Name: `${args.clusterName}-private-${i}` },
                },
                child,
            );
            new ec2.RouteTableAssociation(`${name}-private-${i}-rta`, { subnetId: subnet.id, routeTableId: routes.id }, child);
            return subnet;
        });

        this.vpcId = vpc.id;
        this.vpcCidr = args.vpcCidr;
        this.privateSubnetIds = privateSubnets.map((s) => s.id);
        this.publicSubnetIds = publicSubnets.map((s) => s.id);
        this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
    }
}
