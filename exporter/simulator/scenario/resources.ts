import { Random } from '../random';

/** The `AWS::::Account` pseudo resource that account-level (periodic) managed rules evaluate. */
export const ACCOUNT_RESOURCE_TYPE = 'AWS::::Account';

const EC2_PREFIXES: Readonly<Record<string, string>> = {
  'AWS::EC2::SecurityGroup': 'sg',
  'AWS::EC2::Instance': 'i',
  'AWS::EC2::Volume': 'vol',
  'AWS::EC2::VPC': 'vpc',
  'AWS::EC2::Subnet': 'subnet',
  'AWS::EC2::NetworkAcl': 'acl',
  'AWS::EC2::RouteTable': 'rtb',
  'AWS::EC2::InternetGateway': 'igw',
  'AWS::EC2::NetworkInterface': 'eni',
  'AWS::EC2::EIP': 'eipalloc',
  'AWS::EC2::LaunchTemplate': 'lt',
  'AWS::EC2::NatGateway': 'nat',
  'AWS::EC2::VPCEndpoint': 'vpce',
  'AWS::EC2::TransitGateway': 'tgw',
  'AWS::EC2::CustomerGateway': 'cgw',
  'AWS::EC2::VPNConnection': 'vpn',
  'AWS::EC2::VPNGateway': 'vgw',
  'AWS::EC2::FlowLog': 'fl',
};

const TEAMS = [
  'payments',
  'orders',
  'search',
  'identity',
  'analytics',
  'platform',
  'mobile',
  'billing',
  'catalog',
  'ml',
];
const PURPOSES = [
  'logs',
  'assets',
  'backups',
  'exports',
  'uploads',
  'reports',
  'artifacts',
  'data',
  'static',
  'archive',
];
const STAGES = ['prod', 'staging', 'dev'];

function slug(type: string): string {
  return (type.split('::')[2] ?? 'resource').replace(/([a-z])([A-Z])/g, '$1-$2').toLowerCase();
}

/**
 * A realistic resource id for a Config resource type: EC2-style ids (`sg-0…`), RDS `DbiResourceId`s,
 * IAM unique ids, bucket and function names, key UUIDs.
 */
export function resourceId(type: string, random: Random, index: number, accountId: string): string {
  if (type === ACCOUNT_RESOURCE_TYPE) return accountId;
  const ec2 = EC2_PREFIXES[type];
  if (ec2) return `${ec2}-0${random.hex(16)}`;
  const team = random.pick(TEAMS);
  const stage = random.pick(STAGES);
  const n = String(index).padStart(3, '0');
  switch (type) {
    case 'AWS::S3::Bucket':
      return `${team}-${random.pick(PURPOSES)}-${stage}-${n}-${random.hex(6)}`;
    case 'AWS::RDS::DBInstance':
    case 'AWS::RDS::DBCluster':
      return `${type.endsWith('Cluster') ? 'cluster' : 'db'}-${random.letters(26, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    case 'AWS::IAM::User':
      return `AIDA${random.letters(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    case 'AWS::IAM::Role':
      return `AROA${random.letters(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    case 'AWS::IAM::Policy':
      return `ANPA${random.letters(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    case 'AWS::IAM::Group':
      return `AGPA${random.letters(17, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')}`;
    case 'AWS::KMS::Key':
      return random.uuid();
    case 'AWS::Lambda::Function':
      return `${team}-${stage}-${random.pick(['handler', 'worker', 'sync', 'resize', 'notify'])}-${n}`;
    case 'AWS::DynamoDB::Table':
      return `${team}-${stage}-${random.pick(['events', 'sessions', 'items', 'state'])}-${n}`;
    default:
      return `${slug(type)}-${team}-${stage}-${n}-${random.hex(6)}`;
  }
}

/**
 * The resources of one account and region, per type. Each type's list is generated on first use from
 * its own seeded stream, so the same seed gives the same resources whatever order types are asked in.
 */
export class ResourcePool {
  private readonly byType = new Map<string, string[]>();
  private readonly sizes = new Map<string, number>();

  constructor(
    private readonly seed: number,
    readonly accountId: string,
    readonly region: string,
    private readonly sizeOf: (type: string) => number,
  ) {}

  size(type: string): number {
    if (type === ACCOUNT_RESOURCE_TYPE) return 1;
    let size = this.sizes.get(type);
    if (size === undefined) {
      size = this.sizeOf(type);
      this.sizes.set(type, size);
    }
    return size;
  }

  ids(type: string): readonly string[] {
    let ids = this.byType.get(type);
    if (!ids) {
      const random = Random.derive(this.seed, this.accountId, this.region, 'resources', type);
      const seen = new Set<string>();
      ids = [];
      for (let i = 0; ids.length < this.size(type); i++) {
        const id = resourceId(type, random, i, this.accountId);
        if (!seen.has(id)) {
          seen.add(id);
          ids.push(id);
        }
      }
      this.byType.set(type, ids);
    }
    return ids;
  }
}

/** Seeded pool size for a type, in [min, max]; with `absent`, that share of types has no resources at all. */
export function poolSize(
  seed: number,
  accountId: string,
  region: string,
  type: string,
  min: number,
  max: number,
  absent = 0,
): number {
  const random = Random.derive(seed, accountId, region, 'pool-size', type);
  return random.chance(absent) ? 0 : random.int(min, max);
}
