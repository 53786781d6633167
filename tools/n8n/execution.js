'use strict';
/** Reading what n8n reports about one workflow execution (CLI `execute` or the public API). */

/**
 * `n8n execute --rawOutput` prints the run as `JSON.stringify(run, null, 2)`. n8n 2.x prints
 * log lines before it, and on failure both versions print it between log lines: the JSON is
 * the block from the first line that is exactly `{` to the next line that is exactly `}`.
 */
function parseExecuteOutput(stdout) {
	const lines = stdout.split('\n');
	const start = lines.findIndex((line) => line === '{');
	if (start === -1) return null;
	const end = lines.findIndex((line, index) => index > start && line === '}');
	if (end === -1) return null;
	try {
		return JSON.parse(lines.slice(start, end + 1).join('\n'));
	} catch {
		return null;
	}
}

class Execution {
	constructor({ workflowId, version, result = null, run }) {
		this.workflowId = workflowId;
		this.version = version;
		this.result = result; // the CLI process, when run through `n8n execute`
		this.run = run;
		this.ms = result?.ms;
	}

	static fromApi(execution, version) {
		const run = {
			data: execution.data,
			status: execution.status,
			finished: execution.finished,
			mode: execution.mode,
		};
		const e = new Execution({ workflowId: execution.workflowId, version, run });
		e.id = execution.id;
		e.finishedAt = execution.stoppedAt ?? null;
		e.startedAtMs = Date.parse(execution.startedAt);
		e.mode = execution.mode;
		return e;
	}

	get status() {
		return this.run?.status ?? (this.run ? 'unknown' : 'no-output');
	}

	get error() {
		return this.run?.data?.resultData?.error ?? null;
	}

	/** The failed execution's message, as the n8n UI shows it. */
	get errorMessage() {
		return this.error?.message ?? null;
	}

	get ok() {
		return this.status === 'success' && !this.error;
	}

	/**
	 * Something the process did that the JSON does not explain, e.g. n8n 2.41.1 sometimes dies
	 * with SIGSEGV after printing a run. The run counts (its JSON is complete: stdout is a file,
	 * written synchronously, and the block ends with its closing brace); the crash is noted.
	 */
	get anomaly() {
		if (!this.result) return null;
		const { code, signal } = this.result;
		const how = signal ? `signal ${signal}` : `exit ${code}`;
		if (!this.run) return `n8n execute printed no run JSON (${how})`;
		if (signal || (this.ok && code !== 0))
			return `n8n execute printed a complete run (status ${this.status}), then ended with ${how}`;
		return null;
	}

	nodeRuns(nodeName) {
		return this.run?.data?.resultData?.runData?.[nodeName] ?? [];
	}

	/** The items a node put on one of its outputs (0: main / success, 1: error output). */
	items(nodeName, output = 0, runIndex = 0) {
		const runs = this.nodeRuns(nodeName);
		if (!runs[runIndex])
			throw new Error(
				`node "${nodeName}" did not run (nodes that ran: ${Object.keys(this.run?.data?.resultData?.runData ?? {}).join(', ') || 'none'})\n${this.describe()}`,
			);
		return runs[runIndex].data?.main?.[output] ?? [];
	}

	json(nodeName, output = 0, runIndex = 0) {
		return this.items(nodeName, output, runIndex).map((item) => item.json);
	}

	/** The error a node itself reported (set when the node failed the execution). */
	nodeError(nodeName, runIndex = 0) {
		return this.nodeRuns(nodeName)[runIndex]?.error ?? null;
	}

	/** A short account for assertion messages: status, error, process output tail. */
	describe() {
		const parts = [`workflow ${this.workflowId} on n8n ${this.version}: status ${this.status}`];
		if (this.error)
			parts.push(
				`error: ${this.error.message}${this.error.description ? ` (${this.error.description})` : ''}`,
			);
		if (this.result) {
			parts.push(
				`exit ${this.result.code} signal ${this.result.signal}, ${this.result.ms} ms, log ${this.result.logFile}`,
			);
			if (!this.ok) parts.push(tail(`${this.result.stdout}\n${this.result.stderr}`, 25));
		}
		return parts.join('\n');
	}
}

/** The last n lines, each cut to 300 characters: a run's JSON holds megabyte-long base64 lines. */
const tail = (text, n = 40) =>
	text
		.trim()
		.split('\n')
		.slice(-n)
		.map((line) =>
			line.length > 300 ? `${line.slice(0, 300)}… (${line.length} characters)` : line,
		)
		.join('\n');

module.exports = { parseExecuteOutput, Execution, tail };
