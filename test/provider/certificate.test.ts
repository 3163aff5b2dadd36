/**
 * The provider's self-signed TLS server certificate, checked the way its consumers read it: node:crypto's
 * X509Certificate, the openssl CLI, and a real TLS handshake that checks the host name from the SAN as Go does.
 */
import { execFileSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";
import type { AddressInfo } from "node:net";
import { createServerCertificate } from "../../src/provider/protocol/certificate";
import { encodeInteger, oid, tlv } from "../../src/provider/protocol/der";

const OPENSSL = "/usr/bin/openssl";

/** Reads the TLV at `at`: its tag, where its content starts and where it ends. */
function readTlv(der: Buffer, at: number): { tag: number; start: number; end: number } {
  let len = der[at + 1];
  let start = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = der.subarray(start, start + n).reduce((acc, b) => acc * 256 + b, 0);
    start += n;
  }
  return { tag: der[at], start, end: start + len };
}

/** The serial number's INTEGER TLV: Certificate > TBSCertificate > (skip [0] version) > INTEGER. */
function serialTlv(der: Buffer): Buffer {
  const tbs = readTlv(der, readTlv(der, 0).start);
  const version = readTlv(der, tbs.start);
  const serial = readTlv(der, version.end);
  expect(serial.tag).toBe(0x02);
  return der.subarray(version.end, serial.end);
}

/** A DER INTEGER that is minimal, positive and nonzero. */
function expectMinimalPositive(integer: Buffer): void {
  const { tag, start, end } = readTlv(integer, 0);
  const body = integer.subarray(start, end);
  expect(tag).toBe(0x02);
  expect(end).toBe(integer.length);
  expect(body.length).toBeGreaterThan(0);
  expect(body[0] & 0x80).toBe(0); // positive
  if (body.length > 1) expect(body[0] === 0 && body[1] < 0x80).toBe(false); // minimal
  expect(body.some((b) => b !== 0)).toBe(true); // nonzero
}

describe("createServerCertificate", () => {
  const now = new Date();
  const cert = createServerCertificate(now);
  const x509 = new crypto.X509Certificate(cert.der);
  let dir: string;
  let certFile: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-cert-"));
    certFile = path.join(dir, "cert.pem");
    fs.writeFileSync(path.join(dir, "cert.der"), cert.der);
    fs.writeFileSync(certFile, cert.certPem);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("names localhost in the subject alternative name, which is all Go checks", () => {
    expect(x509.subjectAltName).toBe("DNS:localhost");
    expect(x509.subject).toContain("CN=localhost");
  });

  test("is a CA that allows server and client authentication", () => {
    expect(x509.ca).toBe(true);
    expect([...(x509.keyUsage ?? [])].sort()).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]);
  });

  test("belongs to its private key and carries a valid self-signature", () => {
    expect(x509.checkPrivateKey(crypto.createPrivateKey(cert.keyPem))).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    expect(x509.checkIssued(x509)).toBe(true);
    expect(new crypto.X509Certificate(cert.certPem).raw.equals(cert.der)).toBe(true);
  });

  test("is already valid now and stays valid well beyond now", () => {
    expect(new Date(x509.validFrom).getTime()).toBeLessThan(now.getTime());
    expect(new Date(x509.validTo).getTime()).toBeGreaterThan(now.getTime() + 300 * 24 * 3600 * 1000);
  });

  test("shows critical CA and key usage extensions and both extended key usages in openssl", () => {
    const text = execFileSync(
      OPENSSL,
      ["x509", "-inform", "DER", "-in", path.join(dir, "cert.der"), "-noout", "-text"],
      { encoding: "utf8" },
    );
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment, Certificate Sign/);
    expect(text).toContain("TLS Web Server Authentication, TLS Web Client Authentication");
    expect(text).toContain("Signature Algorithm: ecdsa-with-SHA256");
    expect(text).toContain("NIST CURVE: P-256");
  });

  test("passes openssl verify as its own trust anchor", () => {
    const out = execFileSync(
      OPENSSL,
      ["verify", "-check_ss_sig", "-purpose", "sslserver", "-CAfile", certFile, certFile],
      { encoding: "utf8" },
    );
    expect(out.trim()).toBe(`${certFile}: OK`);
  });

  test("completes a TLS handshake with a client that trusts only this certificate and checks localhost", async () => {
    const server = tls.createServer({ key: cert.keyPem, cert: cert.certPem }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = tls.connect({ host: "127.0.0.1", port, ca: cert.certPem, servername: "localhost" }, () => {
          resolve(socket.authorized);
          socket.destroy();
        });
        socket.on("error", reject);
      });
      expect(authorized).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("writes UTCTime before 2050 and GeneralizedTime from 2050 on", () => {
    const late = createServerCertificate(new Date("2049-06-01T12:00:00Z"));
    const parsed = execFileSync(OPENSSL, ["asn1parse", "-inform", "DER"], { input: late.der, encoding: "utf8" });
    expect(parsed).toMatch(/UTCTIME\s+:490601115900Z/);
    expect(parsed).toMatch(/GENERALIZEDTIME\s+:20500601115900Z/);
    expect(new crypto.X509Certificate(late.der).validTo).toBe("Jun  1 11:59:00 2050 GMT");
  });

  test("encodes every random serial number as a minimal positive integer of at most 20 octets", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const serial = serialTlv(createServerCertificate(now).der);
      expectMinimalPositive(serial);
      expect(serial.length - 2).toBeLessThanOrEqual(20);
      seen.add(serial.toString("hex"));
    }
    expect(seen.size).toBe(2000);
  });
});

describe("DER helpers", () => {
  test("encodes integers as minimal two's complement", () => {
    expect(encodeInteger(Buffer.from([0x80, 0x01]))).toEqual(Buffer.from([0x02, 0x03, 0x00, 0x80, 0x01]));
    expect(encodeInteger(Buffer.from([0x00, 0x7f, 0xff]))).toEqual(Buffer.from([0x02, 0x02, 0x7f, 0xff]));
    expect(encodeInteger(Buffer.from([0x00, 0x00, 0x80]))).toEqual(Buffer.from([0x02, 0x02, 0x00, 0x80]));
    expect(encodeInteger(Buffer.from([0x00, 0x00, 0x00]))).toEqual(Buffer.from([0x02, 0x01, 0x00]));
    expect(encodeInteger(Buffer.alloc(0))).toEqual(Buffer.from([0x02, 0x01, 0x00]));
    expect(encodeInteger(Buffer.from([0x02]))).toEqual(Buffer.from([0x02, 0x01, 0x02]));
  });

  test("keeps every nonzero 16-byte value minimal and positive, whatever its leading bytes", () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = crypto.randomBytes(16);
      if (i % 4 === 0) bytes[0] = 0; // force the leading-zero cases that random data hits 1 time in 256
      if (i % 8 === 0) bytes[1] = 0x80 | bytes[1];
      bytes[15] |= 1;
      expectMinimalPositive(encodeInteger(bytes));
    }
  });

  test("switches to the long length form above 127 bytes", () => {
    expect(tlv(0x04, Buffer.alloc(127)).subarray(0, 2)).toEqual(Buffer.from([0x04, 0x7f]));
    expect(tlv(0x04, Buffer.alloc(128)).subarray(0, 3)).toEqual(Buffer.from([0x04, 0x81, 0x80]));
    expect(tlv(0x04, Buffer.alloc(300)).subarray(0, 4)).toEqual(Buffer.from([0x04, 0x82, 0x01, 0x2c]));
  });

  test("encodes object identifiers from dotted strings", () => {
    expect(oid("1.2.840.10045.4.3.2").toString("hex")).toBe("06082a8648ce3d040302");
    expect(oid("2.5.29.17").toString("hex")).toBe("0603551d11");
  });
});
