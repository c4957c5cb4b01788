import { WorkflowNotFoundError } from '@temporalio/client';
import { apiErrorOf, ApiError } from '../../../src/console/server/errors';

describe("the console API's errors", () => {
  it('names the run that does not exist', () => {
    expect(apiErrorOf(new WorkflowNotFoundError('not found', 'abc-1', undefined), 'localhost:7233')).toEqual({
      status: 404,
      message: "no run with id 'abc-1' (see the runs page)",
    });
  });

  it('names the address of a Temporal server that does not answer (gRPC UNAVAILABLE)', () => {
    const e = Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 });
    expect(apiErrorOf(e, '10.0.0.9:7233')).toEqual({
      status: 503,
      message:
        "Temporal unreachable at 10.0.0.9:7233: start it ('npx flowstate server') or set TEMPORAL_ADDRESS",
    });
  });

  it('keeps the status and message of a request it refused itself', () => {
    expect(apiErrorOf(new ApiError(400, 'gate: name the gate'), 'x')).toEqual({
      status: 400,
      message: 'gate: name the gate',
    });
  });
});
