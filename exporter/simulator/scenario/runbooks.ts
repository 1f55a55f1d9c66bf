import { createHash } from 'node:crypto';
import type { DocumentParameter, DocumentRecord, DocumentStep } from '../world/types';

/**
 * The SSM Automation runbooks the scenarios use: AWS-owned ones (Owner `Amazon`) named in the Security Hub
 * catalog, and the two customer documents of the demo account.
 */
export interface Runbook {
  readonly name: string;
  /** `Amazon`, or `self` for a document the account owns. */
  readonly owner: 'Amazon' | 'self';
  readonly version: string;
  readonly description: string;
  /** The parameter that receives the noncompliant resource's id (Config's RESOURCE_ID). */
  readonly resourceParameter: string;
  readonly parameters: readonly DocumentParameter[];
  readonly steps: readonly DocumentStep[];
}

const ASSUME_ROLE: DocumentParameter = {
  name: 'AutomationAssumeRole',
  type: 'String',
  description: '(Optional) The ARN of the role that allows Automation to perform the actions on your behalf.',
  defaultValue: '',
};

function revoke(
  name: string,
  port: number,
  cidr: 'CidrIp' | 'CidrIpv6',
  onFailure = 'Continue',
): DocumentStep {
  const range =
    cidr === 'CidrIp' ? `"IpRanges":[{"CidrIp":"0.0.0.0/0"}]` : `"Ipv6Ranges":[{"CidrIpv6":"::/0"}]`;
  return {
    name,
    action: 'aws:executeAwsApi',
    onFailure,
    isCritical: true,
    inputs: {
      Service: 'ec2',
      Api: 'RevokeSecurityGroupIngress',
      GroupId: '{{GroupId}}',
      IpPermissions: `[{"IpProtocol":"tcp","FromPort":${port},"ToPort":${port},${range}}]`,
    },
    api: 'ec2:RevokeSecurityGroupIngress',
  };
}

const SECURITY_GROUP_STEPS: readonly DocumentStep[] = [
  revoke('DisableSSHFromIpV4', 22, 'CidrIp'),
  revoke('DisableSSHFromIpV6', 22, 'CidrIpv6'),
  revoke('DisableRDPFromIpV4', 3389, 'CidrIp'),
  revoke('DisableRDPFromIpV6', 3389, 'CidrIpv6'),
];

export const CUSTOM_SECURITY_GROUP_RUNBOOK = 'Custom-DisablePublicAccessForSecurityGroup';
export const TAGGING_RUNBOOK = 'Custom-AutoTagResources';

export const RUNBOOKS: Readonly<Record<string, Runbook>> = {
  'AWS-DisablePublicAccessForSecurityGroup': {
    name: 'AWS-DisablePublicAccessForSecurityGroup',
    owner: 'Amazon',
    version: '1',
    description:
      'Disable SSH and RDP ports opened to IP address specified, or to all addresses if no IP address is specified.',
    resourceParameter: 'GroupId',
    parameters: [
      { name: 'GroupId', type: 'String', description: '(Required) Security Group ID' },
      ASSUME_ROLE,
    ],
    steps: SECURITY_GROUP_STEPS,
  },
  [CUSTOM_SECURITY_GROUP_RUNBOOK]: {
    name: CUSTOM_SECURITY_GROUP_RUNBOOK,
    owner: 'self',
    version: '1',
    description:
      'Clone of AWS-DisablePublicAccessForSecurityGroup that also revokes MySQL (3306) ingress from 0.0.0.0/0 and ::/0.',
    resourceParameter: 'GroupId',
    parameters: [
      { name: 'GroupId', type: 'String', description: '(Required) Security Group ID' },
      ASSUME_ROLE,
    ],
    steps: [
      ...SECURITY_GROUP_STEPS,
      revoke('DisableMYSQLFromIpV4', 3306, 'CidrIp'),
      revoke('DisableMYSQLFromIpV6', 3306, 'CidrIpv6'),
    ],
  },
  'AWS-DisableS3BucketPublicReadWrite': {
    name: 'AWS-DisableS3BucketPublicReadWrite',
    owner: 'Amazon',
    version: '3',
    description: 'Disables S3 bucket public Write and Read access via private ACL',
    resourceParameter: 'S3BucketName',
    parameters: [
      {
        name: 'S3BucketName',
        type: 'String',
        description: '(Required) S3 Bucket subject to access restriction',
      },
      ASSUME_ROLE,
    ],
    steps: [
      {
        name: 'DisableS3BucketPublicReadWrite',
        action: 'aws:executeAwsApi',
        inputs: { Service: 's3', Api: 'PutPublicAccessBlock', Bucket: '{{S3BucketName}}' },
        api: 's3:PutBucketPublicAccessBlock',
      },
    ],
  },
  'AWSConfigRemediation-DisablePublicAccessToRDSInstance': {
    name: 'AWSConfigRemediation-DisablePublicAccessToRDSInstance',
    owner: 'Amazon',
    version: '2',
    description: 'Disables public accessibility for the Amazon RDS database instance you specify.',
    resourceParameter: 'DbiResourceId',
    parameters: [
      {
        name: 'DbiResourceId',
        type: 'String',
        description: '(Required) The resource identifier for the DB instance.',
      },
      ASSUME_ROLE,
    ],
    steps: [
      {
        name: 'GetRDSInstanceIdentifier',
        action: 'aws:executeAwsApi',
        inputs: { Service: 'rds', Api: 'DescribeDBInstances' },
        api: 'rds:DescribeDBInstances',
      },
      { name: 'VerifyDBInstanceStatus', action: 'aws:assertAwsResourceProperty', timeoutSeconds: 900 },
      {
        name: 'DisablePubliclyAccessibleOnRDS',
        action: 'aws:executeAwsApi',
        inputs: { Service: 'rds', Api: 'ModifyDBInstance', PubliclyAccessible: 'false' },
        api: 'rds:ModifyDBInstance',
      },
      {
        name: 'WaitForDBInstanceStatusToModify',
        action: 'aws:waitForAwsResourceProperty',
        timeoutSeconds: 600,
      },
      {
        name: 'WaitForDBInstanceStatusToAvailableAfterModify',
        action: 'aws:waitForAwsResourceProperty',
        timeoutSeconds: 600,
      },
      { name: 'VerifyDBInstancePubliclyAccessible', action: 'aws:assertAwsResourceProperty' },
    ],
  },
  'AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules': {
    name: 'AWSConfigRemediation-RemoveVPCDefaultSecurityGroupRules',
    owner: 'Amazon',
    version: '1',
    description: 'Removes all inbound and outbound rules from the default security group in an Amazon VPC.',
    resourceParameter: 'GroupId',
    parameters: [
      { name: 'GroupId', type: 'String', description: '(Required) The unique ID of the security group.' },
      ASSUME_ROLE,
    ],
    steps: [
      {
        name: 'CheckDefaultSecurityGroup',
        action: 'aws:assertAwsResourceProperty',
        api: 'ec2:DescribeSecurityGroups',
      },
      {
        name: 'RemoveRulesAndVerify',
        action: 'aws:executeScript',
        timeoutSeconds: 600,
        api: 'ec2:RevokeSecurityGroupIngress',
      },
    ],
  },
  'AWSConfigRemediation-EnableKeyRotation': {
    name: 'AWSConfigRemediation-EnableKeyRotation',
    owner: 'Amazon',
    version: '1',
    description:
      'Enables automatic key rotation for the AWS Key Management Service (AWS KMS) symmetric customer master key (CMK).',
    resourceParameter: 'KeyId',
    parameters: [
      { name: 'KeyId', type: 'String', description: '(Required) The ID of the customer master key (CMK).' },
      ASSUME_ROLE,
    ],
    steps: [
      {
        name: 'EnableKeyRotation',
        action: 'aws:executeAwsApi',
        inputs: { Service: 'kms', Api: 'EnableKeyRotation', KeyId: '{{KeyId}}' },
        api: 'kms:EnableKeyRotation',
      },
      { name: 'VerifyKeyRotation', action: 'aws:assertAwsResourceProperty', api: 'kms:GetKeyRotationStatus' },
    ],
  },
  'AWS-ConfigureS3BucketLogging': {
    name: 'AWS-ConfigureS3BucketLogging',
    owner: 'Amazon',
    version: '1',
    description: 'Enables Logging on S3 Bucket',
    resourceParameter: 'BucketName',
    parameters: [
      {
        name: 'BucketName',
        type: 'String',
        description: '(Required) The name of the Amazon S3 Bucket for which you want to configure logging.',
      },
      {
        name: 'TargetBucket',
        type: 'String',
        description: '(Required) Specifies the bucket where you want Amazon S3 to store server access logs.',
      },
      ASSUME_ROLE,
    ],
    steps: [
      {
        name: 'ConfigureS3BucketLogging',
        action: 'aws:executeAwsApi',
        inputs: { Service: 's3', Api: 'PutBucketLogging', Bucket: '{{BucketName}}' },
        api: 's3:PutBucketLogging',
      },
    ],
  },
  'AWSConfigRemediation-EnforceEC2InstanceIMDSv2': {
    name: 'AWSConfigRemediation-EnforceEC2InstanceIMDSv2',
    owner: 'Amazon',
    version: '1',
    description: 'Enforces Amazon EC2 instances to use Instance Metadata Service Version 2 (IMDSv2).',
    resourceParameter: 'InstanceId',
    parameters: [
      { name: 'InstanceId', type: 'String', description: '(Required) The ID of the Amazon EC2 instance.' },
      ASSUME_ROLE,
    ],
    steps: [
      { name: 'DescribeMetadataOptions', action: 'aws:executeAwsApi', api: 'ec2:DescribeInstances' },
      {
        name: 'ModifyInstanceMetadataOptions',
        action: 'aws:executeAwsApi',
        inputs: {
          Service: 'ec2',
          Api: 'ModifyInstanceMetadataOptions',
          InstanceId: '{{InstanceId}}',
          HttpTokens: 'required',
        },
        api: 'ec2:ModifyInstanceMetadataOptions',
      },
      { name: 'VerifyModification', action: 'aws:assertAwsResourceProperty', timeoutSeconds: 600 },
    ],
  },
  [TAGGING_RUNBOOK]: {
    name: TAGGING_RUNBOOK,
    owner: 'self',
    version: '2',
    description:
      'Tags newly created resources with Owner and CostCenter from the creating principal. Started by EventBridge.',
    resourceParameter: 'ResourceArns',
    parameters: [
      { name: 'ResourceArns', type: 'StringList', description: '(Required) ARNs of the resources to tag.' },
      {
        name: 'Tags',
        type: 'String',
        description: '(Required) Tags as JSON.',
        defaultValue: '{"Owner":"unknown","CostCenter":"0000"}',
      },
      ASSUME_ROLE,
    ],
    steps: [
      {
        name: 'TagResources',
        action: 'aws:executeAwsApi',
        inputs: {
          Service: 'resourcegroupstaggingapi',
          Api: 'TagResources',
          ResourceARNList: '{{ResourceArns}}',
        },
        api: 'tag:TagResources',
      },
    ],
  },
};

export function documentRecord(runbook: Runbook, accountId: string, createdDate: number): DocumentRecord {
  const content = JSON.stringify({
    schemaVersion: '0.3',
    parameters: runbook.parameters,
    mainSteps: runbook.steps,
  });
  return {
    name: runbook.name,
    owner: runbook.owner === 'Amazon' ? 'Amazon' : accountId,
    documentVersion: runbook.version,
    description: runbook.description,
    createdDate,
    parameters: runbook.parameters.map((p) => ({ ...p })),
    steps: runbook.steps.map((s) => ({ ...s })),
    hash: createHash('sha256').update(content).digest('hex'),
  };
}
