import type { JsonOperation } from '../protocol/operation';
import {
  describeAutomationExecutions,
  describeAutomationStepExecutions,
  getAutomationExecution,
} from './automation';
import { describeDocument, listDocuments } from './documents';

/** SSM (`AmazonSSM.*`) operations the simulator answers. */
export const SSM_OPERATIONS: readonly JsonOperation[] = [
  describeAutomationExecutions,
  getAutomationExecution,
  describeAutomationStepExecutions,
  describeDocument,
  listDocuments,
];
