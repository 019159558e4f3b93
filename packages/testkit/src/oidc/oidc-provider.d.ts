/**
 * The small part of `oidc-provider` 9 (which ships no types) that the testkit uses.
 * @see https://github.com/panva/node-oidc-provider/blob/main/docs/README.md
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: {
      readonly name: string;
      readonly details: {
        readonly missingOIDCScope?: readonly string[];
        readonly missingOIDCClaims?: readonly string[];
        readonly missingResourceScopes?: Readonly<Record<string, readonly string[]>>;
      };
    };
    readonly params: Readonly<Record<string, unknown>>;
    readonly session?: { readonly accountId?: string };
    readonly grantId?: string;
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: readonly string[]): void;
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface AccessTokenInstance {
    readonly accountId: string;
    readonly clientId: string;
    readonly scope?: string;
    readonly exp: number;
    readonly aud?: string | readonly string[];
    /** Thumbprint of the DPoP key a DPoP-bound token is bound to. */
    readonly jkt?: string;
    isExpired: boolean;
  }

  export interface ProviderInstance {
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Readonly<Record<string, unknown>>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
    readonly Grant: {
      new (properties: { accountId: string; clientId: string }): GrantInstance;
      find(id: string): Promise<GrantInstance | undefined>;
    };
    readonly AccessToken: { find(token: string): Promise<AccessTokenInstance | undefined> };
    on(event: string, listener: (...args: unknown[]) => void): ProviderInstance;
  }

  export const errors: { readonly InvalidTarget: new (description?: string) => Error };

  export const Provider: new (
    issuer: string,
    configuration: Readonly<Record<string, unknown>>,
  ) => ProviderInstance;
}
