"""An independent decryptor of an encrypted iPhone backup, for iosgen's test.

Written from the algorithm of jsharkey13/iphone_backup_decrypt (keybag TLV
parse, PBKDF2-SHA256 then PBKDF2-SHA1, RFC 3394 unwrap of the class keys,
Manifest.db AES-CBC with the unwrapped ManifestKey, each file by its
MBFile EncryptionKey) with Debian's python3-cryptography. It prints one
JSON object: the Files rows and, for each regular file, the SHA-256 of its
decrypted bytes.

usage: decrypt.py BACKUP_DIR [OUT_DIR]  (the password on standard input)

With OUT_DIR it also writes there the decrypted Manifest.db and each
decrypted file under its fileID.
"""
import hashlib
import json
import os
import plistlib
import sqlite3
import struct
import sys
import tempfile

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.keywrap import aes_key_unwrap, InvalidUnwrap

CLASS_TAGS = {b"CLAS", b"WRAP", b"WPKY", b"KTYP", b"PBKY"}


def tlv_blocks(blob):
    i = 0
    while i + 8 <= len(blob):
        tag = blob[i:i + 4]
        (length,) = struct.unpack(">L", blob[i + 4:i + 8])
        yield tag, blob[i + 8:i + 8 + length]
        i += 8 + length


def parse_keybag(blob):
    attrs, classes, uuid, wrap, cur = {}, {}, None, None, None
    for tag, value in tlv_blocks(blob):
        if len(value) == 4:
            value = struct.unpack(">L", value)[0]
        if tag == b"UUID" and uuid is None:
            uuid = value
        elif tag == b"WRAP" and wrap is None:
            wrap = value
        elif tag == b"UUID":
            if cur is not None:
                classes[cur[b"CLAS"]] = cur
            cur = {b"UUID": value}
        elif tag in CLASS_TAGS:
            cur[tag] = value
        else:
            attrs[tag] = value
    if cur is not None:
        classes[cur[b"CLAS"]] = cur
    return attrs, classes


def unlock(attrs, classes, password):
    if b"DPSL" in attrs:
        password = hashlib.pbkdf2_hmac("sha256", password, attrs[b"DPSL"], attrs[b"DPIC"], 32)
    key = hashlib.pbkdf2_hmac("sha1", password, attrs[b"SALT"], attrs[b"ITER"], 32)
    keys = {}
    for clas, ck in classes.items():
        if b"WPKY" in ck and ck[b"WRAP"] & 2:
            keys[clas] = aes_key_unwrap(key, ck[b"WPKY"])
    return keys


def cbc_decrypt(key, data):
    d = Cipher(algorithms.AES(key), modes.CBC(b"\0" * 16)).decryptor()
    plain = d.update(data) + d.finalize()
    n = plain[-1]
    if n == 0 or n > 16 or plain[-n:] != bytes([n]) * n:
        raise ValueError("bad padding")
    return plain[:-n]


def unwrap_for(keys, field):
    (clas,) = struct.unpack("<L", field[:4])
    return aes_key_unwrap(keys[clas], field[4:])


def main():
    backup = sys.argv[1]
    out_dir = sys.argv[2] if len(sys.argv) > 2 else None
    password = sys.stdin.buffer.read()
    with open(os.path.join(backup, "Manifest.plist"), "rb") as f:
        manifest = plistlib.load(f)
    attrs, classes = parse_keybag(manifest["BackupKeyBag"])
    try:
        keys = unlock(attrs, classes, password)
    except InvalidUnwrap:
        print(json.dumps({"error": "wrong password"}))
        return
    with open(os.path.join(backup, "Manifest.db"), "rb") as f:
        db_plain = f.read()
    if "ManifestKey" in manifest:  # iOS 10.2 and later
        db_plain = cbc_decrypt(unwrap_for(keys, manifest["ManifestKey"]), db_plain)
    if out_dir:
        with open(os.path.join(out_dir, "Manifest.db"), "wb") as f:
            f.write(db_plain)
    out = {"product_version": manifest["Lockdown"]["ProductVersion"], "rows": [], "files": {}}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "Manifest.db")
        with open(path, "wb") as f:
            f.write(db_plain)
        db = sqlite3.connect(path)
        for file_id, domain, rel, flags, blob in db.execute(
                "SELECT fileID, domain, relativePath, flags, file FROM Files ORDER BY fileID"):
            out["rows"].append([file_id, domain, rel, flags])
            if flags != 1:
                continue
            archive = plistlib.loads(blob)
            objects = archive["$objects"]
            mbfile = objects[archive["$top"]["root"].data]
            field = objects[mbfile["EncryptionKey"].data]["NS.data"]
            with open(os.path.join(backup, file_id[:2], file_id), "rb") as f:
                plain = cbc_decrypt(unwrap_for(keys, field), f.read())
            if out_dir:
                with open(os.path.join(out_dir, file_id), "wb") as f:
                    f.write(plain)
            if len(plain) != mbfile["Size"]:
                raise ValueError("%s: %d bytes, Size %d" % (file_id, len(plain), mbfile["Size"]))
            out["files"][file_id] = {
                "sha256": hashlib.sha256(plain).hexdigest(),
                "relativePath": objects[mbfile["RelativePath"].data],
                "mtime": mbfile["LastModified"],
                "class": mbfile["ProtectionClass"],
            }
        db.close()
    print(json.dumps(out))


main()
