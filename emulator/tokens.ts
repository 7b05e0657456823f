// The tenant's token signer: RS256 access tokens with Auth0's claims, and their verification for /api/v2.
import { SignJWT, jwtVerify, generateKeyPair, errors as joseErrors, type CryptoKey } from 'jose';
import { randomBytes } from 'node:crypto';

export interface TokenClaims {
  iss: string;
  sub: string;
  aud: string | string[];
  iat: number;
  exp: number;
  scope: string;
  gty: string;
  azp: string;
}

export class TokenVerificationError extends Error {}

export class TokenSigner {
  private constructor(
    private readonly privateKey: CryptoKey,
    private readonly publicKey: CryptoKey,
    readonly kid: string,
  ) {}

  static async create(): Promise<TokenSigner> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    return new TokenSigner(privateKey, publicKey, randomBytes(12).toString('base64url'));
  }

  async sign(
    claims: Omit<TokenClaims, 'iat' | 'exp'>,
    lifetimeSeconds: number,
    now = Date.now(),
  ): Promise<string> {
    const iat = Math.floor(now / 1000);
    return new SignJWT({ scope: claims.scope, gty: claims.gty, azp: claims.azp })
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: this.kid })
      .setIssuer(claims.iss)
      .setSubject(claims.sub)
      .setAudience(claims.aud)
      .setIssuedAt(iat)
      .setExpirationTime(iat + lifetimeSeconds)
      .sign(this.privateKey);
  }

  /** Verifies signature, expiry and audience; throws TokenVerificationError with Auth0's 401 message. */
  async verify(token: string, audience: string, issuer: string): Promise<TokenClaims> {
    if (token.split('.').length !== 3) throw new TokenVerificationError('Invalid token');
    try {
      const { payload } = await jwtVerify(token, this.publicKey, { algorithms: ['RS256'], issuer });
      const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      if (!aud.includes(audience)) throw new TokenVerificationError(`Bad audience: ${aud.join(' ')}`);
      return payload as unknown as TokenClaims;
    } catch (err) {
      if (err instanceof TokenVerificationError) throw err;
      if (err instanceof joseErrors.JWTExpired)
        throw new TokenVerificationError('Expired token received for JSON Web Token validation');
      if (err instanceof joseErrors.JWSSignatureVerificationFailed)
        throw new TokenVerificationError('Invalid signature received for JSON Web Token validation.');
      if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === 'iss')
        throw new TokenVerificationError(`Bad issuer`);
      throw new TokenVerificationError('Invalid token');
    }
  }
}
