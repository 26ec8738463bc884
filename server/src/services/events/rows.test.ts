import { retryingLockConflicts } from './rows';

const lockError = (errno: number) => Object.assign(new Error(`errno ${errno}`), { errno });

describe('retryingLockConflicts', () => {
  it('runs a transaction InnoDB ended as a deadlock victim again', async () => {
    let calls = 0;
    const work = async () => {
      calls += 1;
      if (calls < 3) throw lockError(calls === 1 ? 1213 : 1205);
      return 'stored';
    };
    await expect(retryingLockConflicts(work)).resolves.toBe('stored');
    expect(calls).toBe(3);
  });

  it('runs a transaction PostgreSQL ended as a deadlock victim again', async () => {
    let calls = 0;
    const work = async () => {
      calls += 1;
      if (calls < 2) throw Object.assign(new Error('deadlock detected'), { code: '40P01' });
      return 'stored';
    };
    await expect(retryingLockConflicts(work)).resolves.toBe('stored');
    expect(calls).toBe(2);
  });

  it('passes any other error on at once', async () => {
    let calls = 0;
    const work = async () => {
      calls += 1;
      throw lockError(1062);
    };
    await expect(retryingLockConflicts(work)).rejects.toThrow('errno 1062');
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    let calls = 0;
    const work = async () => {
      calls += 1;
      throw lockError(1213);
    };
    await expect(retryingLockConflicts(work, 3)).rejects.toThrow('errno 1213');
    expect(calls).toBe(3);
  });
});
