#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Generate the daemon's side of the smb_server netlink family from its spec:
# libnl attribute policies and the names of commands and statuses, as
# tools/ksmbd/netlink_gen.h (--header) and tools/ksmbd/netlink_gen.c
# (--source). The kernel's ynl-gen-c.py --mode user writes code for libynl,
# which the daemon does not use (it uses libnl-3); names and values come
# from include/uapi/linux/smb_server.h, which ynl-gen-c.py generates from
# the same spec. Run by scripts/gen-netlink.
#
# libnl checks an attribute's type and length only: a string must end in a
# NUL and is at most maxlen bytes with it, fixed-size integers are checked
# for their exact size, binary attributes for their length. Value ranges
# and flag masks are the kernel's policy's business.

import argparse
import os
import sys

import yaml

ATTR_BITS = 64		# smb_server_nl_cmd_attrs[] entries are uint64_t


def c_upper(name):
    return name.upper().replace('-', '_')


class Spec:
    def __init__(self, path):
        with open(path) as f:
            first = f.readline()
            f.seek(0)
            self.y = yaml.safe_load(f)
        tag = '# SPDX-License-Identifier: '
        if not first.startswith(tag):
            sys.exit('ynl-gen-daemon: the spec has no SPDX line')
        self.license = first[len(tag):].strip()
        self.name = self.y['name']
        self.prefix = c_upper(self.name)
        self.consts = {d['name']: d for d in self.y['definitions']}
        sets = self.y['attribute-sets']
        if len(sets) != 1:
            sys.exit('ynl-gen-daemon: one attribute set expected')
        aset = sets[0]
        self.attr_prefix = c_upper(aset['name-prefix'])
        self.attrs = {}
        value = 1
        for a in aset['attributes']:
            value = a.get('value', value)
            a['_value'] = value
            self.attrs[a['name']] = a
            value += 1
        if max(a['_value'] for a in self.attrs.values()) >= ATTR_BITS:
            sys.exit('ynl-gen-daemon: too many attributes for a uint64_t mask')
        ops = self.y['operations']
        self.op_prefix = c_upper(ops['name-prefix'])
        self.ops = ops['list']

    def attr_enum(self, name):
        return self.attr_prefix + c_upper(name)

    def op_enum(self, op):
        return self.op_prefix + c_upper(op['name'])

    def limit(self, value):
        """A check's value as C: an integer, or the define of a const."""
        if isinstance(value, int):
            return value, str(value)
        const = self.consts[value]
        return const['value'], self.prefix + '_' + c_upper(value)

    def policy(self, attr):
        """The fields of @attr's libnl policy entry, or None."""
        t = attr['type']
        checks = attr.get('checks', {})
        sizes = {'u8': 1, 'u16': 2, 'u32': 4, 'u64': 8}
        if t in sizes:
            n = sizes[t]
            return [f'.type = NLA_{t.upper()}', f'.minlen = {n}', f'.maxlen = {n}']
        if t == 'string':
            if 'max-len' not in checks:
                return ['.type = NLA_STRING']
            _, c = self.limit(checks['max-len'])
            return ['.type = NLA_STRING', f'.maxlen = {c} + 1']
        if t == 'binary':
            if 'exact-len' in checks:
                _, c = self.limit(checks['exact-len'])
                return ['.type = NLA_UNSPEC', f'.minlen = {c}', f'.maxlen = {c}']
            if 'max-len' in checks:
                _, c = self.limit(checks['max-len'])
                return ['.type = NLA_UNSPEC', f'.maxlen = {c}']
            return ['.type = NLA_UNSPEC']
        if t == 'unused':
            return None
        sys.exit(f'ynl-gen-daemon: attribute type {t} not handled')

    def op_attrs(self, op):
        """The attributes @op carries: a do request's or an event's."""
        if 'event' in op:
            return op['event'].get('attributes', [])
        return op.get('do', {}).get('request', {}).get('attributes', [])

    def is_event(self, op):
        return 'event' in op


def spec_path_for_comment(path):
    """The spec's path below the folder that holds MAINTAINERS."""
    full = os.path.abspath(path)
    sub = []
    while True:
        full, base = os.path.split(full)
        sub.insert(0, base)
        if os.path.exists(os.path.join(full, 'MAINTAINERS')) or full == '/':
            return '/'.join(sub)


def policy_table(out, spec, cname, names, storage=''):
    out.append(f'{storage}const struct nla_policy {cname}[{spec.prefix}_A_MAX + 1] = {{')
    if not names:
        out.append('\t/* no attributes */')
    for name in names:
        fields = spec.policy(spec.attrs[name])
        if not fields:
            continue
        key = f'[{spec.attr_enum(name)}] ='
        line = f'\t{key} {{ {", ".join(fields)} }},'
        # Kernel style: 100 columns at most, a tab counting 8.
        if len(line.expandtabs(8)) <= 100:
            out.append(line)
        else:
            out.append(f'\t{key} {{')
            out += [f'\t\t{f},' for f in fields]
            out.append('\t},')
    out.append('};')
    out.append('')


def gen_header(spec, out):
    nstatus = len(spec.consts['status']['entries'])
    guard = 'KSMBD_NETLINK_GEN_H'
    out += [f'#ifndef {guard}', f'#define {guard}', '',
            '#include <stdint.h>', '',
            '#include <netlink/attr.h>', '',
            f'#include <{spec.y["uapi-header"]}>', '',
            f'#define {spec.prefix}_NL_N_STATUS\t{nstatus}', '',
            '/* Each command\'s name, as the spec writes it, upper case. */',
            f'extern const char *const smb_server_nl_cmd_names[{spec.prefix}_CMD_MAX + 1];',
            '/* Each status\'s name, likewise. */',
            f'extern const char *const smb_server_nl_status_names[{spec.prefix}_NL_N_STATUS];',
            '',
            '/* Every attribute that a message from the kernel (an event) carries. */',
            f'extern const struct nla_policy smb_server_nl_event_policy[{spec.prefix}_A_MAX + 1];',
            '',
            '/*',
            ' * The attributes of each command the kernel accepts (a do request),',
            ' * NULL for the others; the kernel rejects any attribute not listed.',
            ' */',
            f'extern const struct nla_policy *const smb_server_nl_do_policy[{spec.prefix}_CMD_MAX + 1];',
            '',
            '/* The attributes of each command or event, bit N for attribute N. */',
            f'extern const uint64_t smb_server_nl_cmd_attrs[{spec.prefix}_CMD_MAX + 1];',
            '',
            f'#endif /* {guard} */']


def gen_source(spec, out):
    out += ['#include "netlink_gen.h"', '']
    out.append(f'const char *const smb_server_nl_cmd_names[{spec.prefix}_CMD_MAX + 1] = {{')
    for op in spec.ops:
        out.append(f'\t[{spec.op_enum(op)}] = "{c_upper(op["name"])}",')
    out += ['};', '']
    status = spec.consts['status']
    sprefix = c_upper(status['name-prefix'])
    out.append(f'const char *const smb_server_nl_status_names[{spec.prefix}_NL_N_STATUS] = {{')
    for e in status['entries']:
        name = e if isinstance(e, str) else e['name']
        out.append(f'\t[{sprefix}{c_upper(name)}] = "{c_upper(name)}",')
    out += ['};', '']

    events = []
    for op in spec.ops:
        if spec.is_event(op):
            events += [a for a in spec.op_attrs(op) if a not in events]
    events.sort(key=lambda a: spec.attrs[a]['_value'])
    policy_table(out, spec, 'smb_server_nl_event_policy', events)

    for op in spec.ops:
        if spec.is_event(op):
            continue
        names = spec.op_attrs(op)
        out.append(f'/* {spec.op_enum(op)} */')
        policy_table(out, spec,
                     f'smb_server_nl_{op["name"].replace("-", "_")}_policy',
                     names, 'static ')

    out.append(f'const struct nla_policy *const smb_server_nl_do_policy[{spec.prefix}_CMD_MAX + 1] = {{')
    for op in spec.ops:
        if not spec.is_event(op):
            out.append(f'\t[{spec.op_enum(op)}] = smb_server_nl_{op["name"].replace("-", "_")}_policy,')
    out += ['};', '']

    out.append(f'const uint64_t smb_server_nl_cmd_attrs[{spec.prefix}_CMD_MAX + 1] = {{')
    for op in spec.ops:
        bits = [f'(1ULL << {spec.attr_enum(a)})' for a in spec.op_attrs(op)]
        if not bits:
            out.append(f'\t[{spec.op_enum(op)}] = 0,')
            continue
        out.append(f'\t[{spec.op_enum(op)}] =')
        for i, b in enumerate(bits):
            end = ',' if i == len(bits) - 1 else ' |'
            out.append(f'\t\t{b}{end}')
    out += ['};']


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument('--spec', required=True)
    part = ap.add_mutually_exclusive_group(required=True)
    part.add_argument('--header', action='store_true')
    part.add_argument('--source', action='store_true')
    ap.add_argument('-o', dest='out', required=True)
    args = ap.parse_args()

    spec = Spec(args.spec)
    lic = spec.license
    out = []
    out.append(f'/* SPDX-License-Identifier: {lic} */' if args.header
               else f'// SPDX-License-Identifier: {lic}')
    out += ['/* Do not edit directly, auto-generated from: */',
            f'/*\t{spec_path_for_comment(args.spec)} */',
            f'/* by scripts/ynl-gen-daemon.py ({"header" if args.header else "source"}) */',
            '']
    if args.header:
        gen_header(spec, out)
    else:
        gen_source(spec, out)
    with open(args.out, 'w') as f:
        f.write('\n'.join(out) + '\n')


if __name__ == '__main__':
    main()
