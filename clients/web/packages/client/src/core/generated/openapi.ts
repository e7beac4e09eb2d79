// Generated from openapi/v1.json by scripts/generate-api-types.mjs (npm run generate:api). Do not edit.

export interface paths {
    "/api/agent/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start an execution of a task; follow it at streamUrl. */
        post: operations["startExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agent/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's executions, newest first, a page at a time. */
        get: operations["listExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agent/executions/{executionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The execution's state now (folded from its log). */
        get: operations["getExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agent/executions/{executionId}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Cancel a running execution (the body and its reason are optional). */
        post: operations["cancelExecution"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agent/executions/{executionId}/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The files the execution's tools wrote. */
        get: operations["listFiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agent/executions/{executionId}/artifacts/{sha256}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A value too large for its event (paramsRef.url or resultRef.url), whole. */
        get: operations["readArtifact"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agent/executions/{executionId}/stream-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A short-lived token that opens this execution's stream only (for EventSource). */
        post: operations["issueStreamToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agent/stream/{executionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The execution's events as Server-Sent Events, from after the cursor to its terminal event.
         * @description Each frame's data: is a StreamFrame: an AgentEvent (id: its sequence, event: its type), and with deltas a TextDelta or TextReset (no id:), or a StreamReset when the cursor cannot be served. 204 when the cursor is already the terminal event: a client stops there. docs/events.md has the rules.
         */
        get: operations["streamExecution"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/agent/executions/{executionId}/files/{path}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One file the execution wrote, with the content type of its extension; ?download=true to save it. */
        get: operations["readFile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/dev/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Development only: a signed token for any user id. */
        post: operations["issueDevToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description A durable event of an execution: the data: of an SSE frame whose id: is its sequence and whose event: is its type. */
        AgentEvent: components["schemas"]["ExecutionStartedEvent"] | components["schemas"]["PlanCreatedEvent"] | components["schemas"]["PhaseStartEvent"] | components["schemas"]["ThinkingEvent"] | components["schemas"]["ToolStartEvent"] | components["schemas"]["ToolCompleteEvent"] | components["schemas"]["PhaseCompleteEvent"] | components["schemas"]["ExecutionCompleteEvent"] | components["schemas"]["ExecutionErrorEvent"] | components["schemas"]["ExecutionCancelledEvent"];
        /** @description The optional body of `POST /api/agent/executions/{id}/cancel`. Unknown fields are refused. */
        CancelRequest: {
            reason?: null | string;
        };
        /** @description The answer to a cancel: whether this request ended the execution, and its status now. */
        CancelResponse: {
            executionId: string;
            cancelled: boolean;
            status: components["schemas"]["ExecutionStatus"];
        };
        /** @description `UserId` is required (non-null in the contract); a body without it reads as null and gets a 400 problem. */
        DevTokenRequest: {
            userId: string;
        };
        DevTokenResponse: {
            token: string;
            /** Format: date-time */
            expiresAt: string;
        };
        /** @description The body of `POST /api/agent/execute`. Unknown fields are refused: a typo ("taks") must not pass silently. */
        ExecuteRequest: {
            task: string;
            context?: unknown;
        };
        /** @description The answer to `POST /api/agent/execute`: where to watch the new execution. */
        ExecuteResponse: {
            executionId: string;
            streamUrl: string;
        };
        /** @description `execution:cancelled` (terminal): stopped on request; By is the user who asked. */
        ExecutionCancelledData: {
            reason: string;
            by: string;
        };
        ExecutionCancelledEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "execution:cancelled";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["ExecutionCancelledData"];
        };
        /** @description `execution:complete` (terminal): the final answer, wall-clock duration and model tokens. */
        ExecutionCompleteData: {
            result: string;
            /** Format: int64 */
            durationMs: number;
            /** @description Model tokens consumed: prompt (Input) and completion (Output). */
            tokensUsed: {
                /** Format: int64 */
                input: number;
                /** Format: int64 */
                output: number;
                /**
                 * Format: int64
                 * @description `input + output`, written on the wire for convenience.
                 */
                total: number;
            };
        };
        ExecutionCompleteEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "execution:complete";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["ExecutionCompleteData"];
        };
        /**
         * @description `execution:error` (terminal): the execution failed. Code is a stable machine-readable
         *             reason; Stack is set only in the Development environment and omitted otherwise.
         */
        ExecutionErrorData: {
            error: string;
            code: string;
            stack?: null | string;
        };
        ExecutionErrorEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "execution:error";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["ExecutionErrorData"];
        };
        /** @description A page of a user's executions, newest first; NextCursor is null on the last page. */
        ExecutionList: {
            items: components["schemas"]["ExecutionSummary"][];
            nextCursor: null | string;
        };
        /** @description What the execution aims at and the phases it will go through, in order. */
        ExecutionPlan: {
            goal: string;
            phases: components["schemas"]["PlanPhase"][];
        };
        /**
         * @description The state of an execution at LastSequence, folded from its event log
         *     (so a snapshot and a replay of the log never disagree).
         */
        ExecutionSnapshot: {
            executionId: string;
            status: components["schemas"]["ExecutionStatus"];
            task: string;
            /** Format: date-time */
            createdAt: string;
            /** Format: int64 */
            lastSequence: number;
            /** Format: date-time */
            startedAt: null | string;
            /** Format: date-time */
            completedAt: null | string;
            plan: null | components["schemas"]["ExecutionPlan"];
            currentPhaseId: null | string;
            /**
             * Format: int32
             * @default 0
             */
            toolCalls: number;
            tokensUsed: null | components["schemas"]["TokenUsage"];
            result: null | string;
            error: null | string;
            traceId?: null | string;
        };
        /**
         * @description `execution:started`: the loop has begun working on Task. TraceId is the
         *             execution's trace (W3C trace id, 32 hex digits) when it is traced; omitted otherwise.
         */
        ExecutionStartedData: {
            task: string;
            /** Format: date-time */
            startedAt: string;
            traceId?: null | string;
        };
        ExecutionStartedEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "execution:started";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["ExecutionStartedData"];
        };
        /**
         * @description The life cycle of an execution. The last three are terminal.
         * @enum {unknown}
         */
        ExecutionStatus: "pending" | "running" | "completed" | "failed" | "cancelled";
        /** @description One line of a user's execution list. */
        ExecutionSummary: {
            executionId: string;
            task: string;
            /** Format: date-time */
            createdAt: string;
            status: components["schemas"]["ExecutionStatus"];
        };
        FileList: {
            executionId: string;
            files: components["schemas"]["WorkspaceFile"][];
        };
        /** @description `phase:complete`: the phase ended. */
        PhaseCompleteData: {
            phaseId: string;
            phaseName: string;
        };
        PhaseCompleteEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "phase:complete";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["PhaseCompleteData"];
        };
        /** @description `phase:start`: the phase at zero-based PhaseIndex of the plan begins. */
        PhaseStartData: {
            phaseId: string;
            phaseName: string;
            /** Format: int32 */
            phaseIndex: number;
        };
        PhaseStartEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "phase:start";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["PhaseStartData"];
        };
        /**
         * @description Where a phase stands; written camelCase on the wire ("pending", "running", ...).
         * @enum {unknown}
         */
        PhaseStatus: "pending" | "running" | "completed";
        /** @description `plan:created`: the model's plan, every phase still pending. */
        PlanCreatedData: {
            /** @description What the execution aims at and the phases it will go through, in order. */
            plan: {
                goal: string;
                phases: {
                    id: string;
                    name: string;
                    /**
                     * @description Where a phase stands; written camelCase on the wire ("pending", "running", ...).
                     * @enum {unknown}
                     */
                    status: "pending" | "running" | "completed";
                }[];
            };
        };
        PlanCreatedEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "plan:created";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["PlanCreatedData"];
        };
        /** @description One phase of a plan. Id is unique within the plan. */
        PlanPhase: {
            id: string;
            name: string;
            status: components["schemas"]["PhaseStatus"];
        };
        ProblemDetails: {
            type?: null | string;
            title?: null | string;
            /** Format: int32 */
            status?: null | number;
            detail?: null | string;
            instance?: null | string;
        };
        /** @description The data: of any frame of GET /api/agent/stream/{executionId}, told apart by its event: an event type (AgentEvent), text:delta (TextDelta), text:reset (TextReset) or stream:reset (StreamReset). */
        StreamFrame: components["schemas"]["AgentEvent"] | components["schemas"]["TextDelta"] | components["schemas"]["TextReset"] | components["schemas"]["StreamReset"];
        /** @description The stream:reset frame: the cursor could not be served, so the stream continues after snapshot.lastSequence (also the frame's id:). */
        StreamReset: {
            /**
             * @description retention: older than the retained log; ahead: beyond the last event; malformed: not a sequence.
             * @enum {string}
             */
            reason: "retention" | "ahead" | "malformed";
            /** @description The Last-Event-ID the client sent. */
            requestedCursor: string;
            snapshot: components["schemas"]["ExecutionSnapshot"];
        };
        StreamTokenResponse: {
            token: string;
            /** Format: date-time */
            expiresAt: string;
            streamUrl: string;
        };
        /**
         * @description A piece of a text being written: Text goes at Offset (UTF-16 code units, as a
         *     JavaScript string counts) of the text TextId (see LiveTextIds). The deltas of a
         *     text, in order, spell exactly what its durable event will hold; an offset-0 delta carries the whole text so far.
         */
        TextDelta: {
            textId: string;
            /** Format: int32 */
            offset: number;
            text: string;
        };
        /**
         * @description Withdraws what a client was sent of TextId: the run writing it was cut by a failure before the
         *     text became durable. Deltas that follow (from offset 0) are the resumed run's text.
         */
        TextReset: {
            textId: string;
        };
        /** @description `thinking`: the model's reasoning text; Iteration counts from 1 per execution. */
        ThinkingData: {
            thought: string;
            /** Format: int32 */
            iteration: number;
        };
        ThinkingEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "thinking";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["ThinkingData"];
        };
        /** @description Model tokens consumed: prompt (Input) and completion (Output). */
        TokenUsage: {
            /** Format: int64 */
            input: number;
            /** Format: int64 */
            output: number;
            /**
             * Format: int64
             * @description `input + output`, written on the wire for convenience.
             */
            total: number;
        };
        /**
         * @description `tool:complete`: a tool call ended, with its JSON Result or, when it failed,
         *             an Error (then `result` is null). `error` is omitted on success. A result too large for
         *             an event is a preview here and whole at ArtifactReference? ToolCompleteData.ResultRef.
         */
        ToolCompleteData: {
            toolName: string;
            callId: string;
            result: unknown;
            error?: null | string;
            /** Format: int64 */
            durationMs: number;
            /**
             * @description Where a value too large to travel in its event is kept whole: Size bytes of JSON whose SHA-256 is
             *     Sha256 (lowercase hex), for its execution's owner at Url. The event carries a
             *     preview in its place (the same JSON with long strings cut).
             */
            resultRef?: {
                /** Format: int64 */
                size: number;
                sha256: string;
                url: string;
            };
        };
        ToolCompleteEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool:complete";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["ToolCompleteData"];
        };
        /**
         * @description `tool:start`: a tool call begins. CallId pairs it with its `tool:complete`. Params too
         *             large for an event are a preview here and whole at ArtifactReference? ToolStartData.ParamsRef.
         */
        ToolStartData: {
            toolName: string;
            params: unknown;
            callId: string;
            /**
             * @description Where a value too large to travel in its event is kept whole: Size bytes of JSON whose SHA-256 is
             *     Sha256 (lowercase hex), for its execution's owner at Url. The event carries a
             *     preview in its place (the same JSON with long strings cut).
             */
            paramsRef?: {
                /** Format: int64 */
                size: number;
                sha256: string;
                url: string;
            };
        };
        ToolStartEvent: {
            executionId: string;
            /**
             * Format: int64
             * @description 1, 2, 3... gapless per execution; also the frame's id:.
             */
            sequence: number;
            /**
             * @description discriminator enum property added by openapi-typescript
             * @enum {string}
             */
            type: "tool:start";
            /**
             * Format: date-time
             * @description When the event was appended to the log, UTC.
             */
            timestamp: string;
            data: components["schemas"]["ToolStartData"];
        };
        /** @description A file an execution's tools wrote: its workspace-relative Path ('/' separated) and size. */
        WorkspaceFile: {
            path: string;
            /** Format: int64 */
            size: number;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    startExecution: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ExecuteRequest"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecuteResponse"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Payload Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listExecutions: {
        parameters: {
            query?: {
                /** @description How many (1 to 100). */
                limit?: number;
                /** @description The nextCursor of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionList"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    getExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                executionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ExecutionSnapshot"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    cancelExecution: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                executionId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CancelRequest"];
            };
        };
        responses: {
            /** @description Accepted */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CancelResponse"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Conflict */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Payload Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    listFiles: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                executionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FileList"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    readArtifact: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                executionId: string;
                sha256: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    issueStreamToken: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                executionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StreamTokenResponse"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    streamExecution: {
        parameters: {
            query?: {
                /** @description As Last-Event-ID, for a first connection that has a cursor (the header wins). */
                lastEventId?: number;
                /** @description Only these event types, comma-separated (the terminal ones are not implied). */
                types?: string;
                /** @description Also the texts being written, as text:delta and text:reset frames. */
                deltas?: boolean;
            };
            header?: {
                /** @description The last sequence the client has; the stream resumes after it. */
                "Last-Event-ID"?: string;
            };
            path: {
                executionId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Server-Sent Events until the terminal event; comment lines are heartbeats. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": components["schemas"]["StreamFrame"];
                };
            };
            /** @description No Content */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Too Many Requests */
            429: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    readFile: {
        parameters: {
            query?: {
                /** @description Content-Disposition: attachment, so that a browser saves it. */
                download?: boolean;
            };
            header?: never;
            path: {
                executionId: string;
                path: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description No valid token: missing, expired, for another audience, or with a bad signature. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Service Unavailable */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
    issueDevToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DevTokenRequest"];
            };
        };
        responses: {
            /** @description OK */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DevTokenResponse"];
                };
            };
            /** @description Bad Request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Not Found */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Payload Too Large */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
            /** @description Unsupported Media Type */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["ProblemDetails"];
                };
            };
        };
    };
}
