import { AwsError, ssmError } from '../protocol/errors';
import type { InputErrors } from '../protocol/input';
import type { RequestContext } from '../protocol/operation';
import type { RegionState } from '../world/region-state';

/** SSM reports constraint violations as (unmodeled) ValidationException. */
export const SSM_ERRORS: InputErrors = {
  invalid: (message) => new AwsError('ValidationException', message, 400),
};

export function invalidNextToken(): AwsError {
  return ssmError('InvalidNextToken', 'The specified token is not valid.');
}

export function regionOf(ctx: RequestContext): RegionState | undefined {
  return ctx.world.existingRegion(ctx.accountId, ctx.region);
}
