// Structural types of what the tests use (n8n's lint refuses an `http` import here).
export interface VendorRequest {
	headers: Record<string, string | undefined>;
	socket: { destroy(): void };
}
export interface VendorResponse {
	writeHead(status: number, headers?: Record<string, string>): { end(body?: string): void };
	end(body?: string): void;
}
export type Handler = (req: VendorRequest, res: VendorResponse, body: Buffer) => void;

export class Vendor {
	routes: Map<string, Handler>;
	received: Array<{ method: string; path: string; authorization?: string }>;
	inFlight: number;
	maxInFlight: number;
	url: string;
	readonly port: number;
	start(): Promise<this>;
	count(path: string): number;
	stop(): Promise<void>;
}
