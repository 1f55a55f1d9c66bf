import { classifyFailure } from '../../../src/remediation/failure-reason';

describe('classifyFailure', () => {
  it.each([
    [{ message: 'An error occurred (UnauthorizedOperation) when calling the RevokeSecurityGroupIngress operation: You are not authorized to perform this operation.' }, 'access_denied'],
    [{ message: 'User: arn:aws:sts::123456789012:assumed-role/ConfigRemediationAutomationRole/x is not authorized to perform: ec2:RevokeSecurityGroupIngress on resource: arn:aws:ec2:us-east-1:123456789012:security-group/sg-1' }, 'access_denied'],
    [{ message: 'AccessDenied: Access Denied' }, 'access_denied'],
    [{ message: 'Step failed', failureType: 'Permission' }, 'access_denied'],
    [{ message: 'An error occurred (ThrottlingException): Rate exceeded' }, 'throttled'],
    [{ message: 'anything', failureType: 'Throttling' }, 'throttled'],
    [{ status: 'TimedOut' }, 'timeout'],
    [{ message: 'Step timed out while step is verifying' }, 'timeout'],
    [{ message: "An error occurred (InvalidGroup.NotFound) when calling the RevokeSecurityGroupIngress operation: The security group 'sg-1' does not exist" }, 'resource_not_found'],
    [{ message: 'An error occurred (InvalidPermission.NotFound): The specified rule does not exist in this security group.' }, 'resource_not_found'],
    [{ message: 'An error occurred (InvalidParameterValue): Value (abc) for parameter groupId is invalid.' }, 'invalid_parameter'],
    [{ message: 'ValidationException: 1 validation error detected' }, 'invalid_parameter'],
    [{ status: 'Cancelled' }, 'other'],
    [{ message: 'Something unexpected happened' }, 'other'],
    [{}, 'other'],
  ])('classifies %j as %s', (failure, reason) => {
    expect(classifyFailure(failure)).toBe(reason);
  });
});
