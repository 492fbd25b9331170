// The dead letters (GET /api/v1/jobs?state=dead): replies, webhooks and CRM pushes that
// used every attempt, with their last error, each retryable by the agent.

export interface DeadJob {
  id: string;
  site: string | null;
  kind: string;
  attempts: number;
  lastError: string | null;
  updatedAt: string;
}

// Job kinds as an agent knows them; others show as the queue names them.
const KINDS: Readonly<Record<string, string>> = { 'channel:send': 'Reply to a messenger' };

/** The rows of the failed-deliveries list; `retry` re-queues a job. */
export function renderDeadJobs(jobs: readonly DeadJob[], retry: (jobId: string) => void): HTMLLIElement[] {
  if (jobs.length === 0) {
    const empty = document.createElement('li');
    empty.textContent = 'No failed deliveries.';
    return [empty];
  }
  return jobs.map((job) => {
    const row = document.createElement('li');
    const title = document.createElement('strong');
    title.textContent = `${KINDS[job.kind] ?? job.kind} (${job.kind})`;
    const details = document.createElement('div');
    details.className = 'meta';
    details.textContent = `site ${job.site ?? '—'} · ${job.attempts} attempt${job.attempts === 1 ? '' : 's'} · ${new Date(job.updatedAt).toLocaleString()}`;
    const error = document.createElement('div');
    error.textContent = `Last error: ${job.lastError ?? 'none recorded'}`;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Retry';
    button.addEventListener('click', () => {
      button.disabled = true;
      retry(job.id);
    });
    row.append(title, details, error, button);
    return row;
  });
}
