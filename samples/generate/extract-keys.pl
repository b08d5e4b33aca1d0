#!/usr/bin/perl
# extract-keys.pl OUTDIR charon.log [charon.log ...]
#
# Reads strongSwan charon file logs written with "ike = 4" and "chd = 4" and
# writes Wireshark's decryption tables into OUTDIR:
#   ikev2_decryption_table   SPIi,SPIr,SK_ei,SK_er,"encr",SK_ai,SK_ar,"integ"
#   ikev1_decryption_table   initiator cookie,encryption key
#   esp_sa                   "IPv4","src","dst","0xSPI","encr","0xkey","auth","0xkey"
#   ikev2_auth_keys          IKEV2 SPIi SPIr SK_d=hex SK_pi=hex SK_pr=hex
#                            (ikescope's key-file extension line, one per IKE SA:
#                            the keys that `ikescope --psk` needs to recompute
#                            IKEv2 AUTH; Wireshark has no table for them)
# Files that would be empty are not written.  Rows are de-duplicated (both
# peers log the same IKE keys).
#
# How the log lines are tied together (charon 5.9.x):
#   * every line of an IKE_SA carries "<conn|N>" or "<N>" (filelog ike_name = yes);
#   * "Sk_ei secret => 32 bytes @ 0x..." is followed by hex dump lines
#     (likewise Sk_d, Sk_ai, Sk_ar, Sk_er, Sk_pi, Sk_pr, in this order);
#   * "checkin IKEv2 SA conn[N] with SPIs <spi_i>_i <spi_r>_r" gives the SPIs;
#     the oldest key set not yet tied to SPIs belongs to the first new
#     non-zero SPI pair (this also covers IKE_SA rekeying, where the new
#     SA's keys are logged in the old SA's context);
#   * ESP: "encryption initiator key => ...", then "adding inbound|outbound
#     ESP SA" + "SPI 0x..., src A dst B"; whether this node initiated the
#     exchange that created the CHILD_SA follows from the last "parsed ...
#     request|response" line of the same IKE_SA.
use strict;
use warnings;

my $outdir = shift @ARGV or die "usage: $0 OUTDIR LOG...\n";

my %ikev2_encr = (
    'AES_CBC_128' => ['AES-CBC-128 [RFC3602]', 16],
    'AES_CBC_192' => ['AES-CBC-192 [RFC3602]', 24],
    'AES_CBC_256' => ['AES-CBC-256 [RFC3602]', 32],
    '3DES_CBC'    => ['3DES [RFC2451]', 24],
    'AES_CTR_128' => ['AES-CTR-128 [RFC5930]', 20],
    'AES_CTR_192' => ['AES-CTR-192 [RFC5930]', 28],
    'AES_CTR_256' => ['AES-CTR-256 [RFC5930]', 36],
);
for my $icv (8, 12, 16) {
    for my $k (128, 192, 256) {
        $ikev2_encr{"AES_GCM_${icv}_$k"} =
            ["AES-GCM-$k with $icv octet ICV [RFC5282]", $k / 8 + 4];
        $ikev2_encr{"AES_CCM_${icv}_$k"} =
            ["AES-CCM-$k with $icv octet ICV [RFC5282]", $k / 8 + 3];
    }
}
my %ikev2_integ = (
    'HMAC_MD5_96'       => 'HMAC_MD5_96 [RFC2403]',
    'HMAC_SHA1_96'      => 'HMAC_SHA1_96 [RFC2404]',
    'HMAC_SHA2_256_128' => 'HMAC_SHA2_256_128 [RFC4868]',
    'HMAC_SHA2_384_192' => 'HMAC_SHA2_384_192 [RFC4868]',
    'HMAC_SHA2_512_256' => 'HMAC_SHA2_512_256 [RFC4868]',
);
my %esp_integ = (
    'HMAC_MD5_96'       => 'HMAC-MD5-96 [RFC2403]',
    'HMAC_SHA1_96'      => 'HMAC-SHA-1-96 [RFC2404]',
    'HMAC_SHA2_256_128' => 'HMAC-SHA-256-128 [RFC4868]',
    'HMAC_SHA2_384_192' => 'HMAC-SHA-384-192 [RFC4868]',
    'HMAC_SHA2_512_256' => 'HMAC-SHA-512-256 [RFC4868]',
);

sub esp_encr {
    my ($e) = @_;
    return 'AES-CBC [RFC3602]'       if $e =~ /^AES_CBC/;
    return 'AES-CTR [RFC3686]'       if $e =~ /^AES_CTR/;
    return 'TripleDES-CBC [RFC2451]' if $e =~ /^3DES/;
    return "AES-GCM with $1 octet ICV [RFC4106]" if $e =~ /^AES_GCM_(\d+)/;
    return 'NULL'                    if $e =~ /^NULL/;
    return undef;
}

my (@v2rows, @v1rows, @esprows, @authrows, %seen);
my @pending_v2;         # IKEv2 key sets not yet tied to SPIs, oldest first
my @pending_v1;         # IKEv1 key sets not yet tied to a cookie
my %spis_done;

for my $log (@ARGV) {
    open my $fh, '<', $log or die "$log: $!\n";
    my %ctx;            # per IKE_SA context: proposals, keys, role, pending SA
    my ($dump_ctx, $dump_name);
    while (my $line = <$fh>) {
        chomp $line;
        next unless $line =~ /^\S+ \d+\[(\w+)\] (?:<([^>]+)> )?(.*)$/;
        my ($grp, $c, $msg) = ($1, $2 // '', $3);
        $c =~ s/^.*\|//;    # "<s2s|1>" and "<1>" (name not yet known) are the same IKE_SA
        my $x = ($ctx{$c} //= {});
        # hex dump continuation of a "name => N bytes @ addr" line
        if (defined $dump_name && $c eq $dump_ctx
            && $msg =~ /^\s*\d+: ((?:[0-9A-F]{2} )+)/) {
            (my $h = $1) =~ s/ //g;
            $x->{key}{$dump_name} .= lc $h;
            next;
        }
        undef $dump_name;
        if ($msg =~ /^(.+?) => (\d+) bytes @/) {
            $dump_name = $1; $dump_ctx = $c;
            $x->{key}{$dump_name} = '';
            next;
        }
        if ($msg =~ /^selected proposal: IKE:(\S+)/) {
            $x->{ike_prop} = $1;
        } elsif ($msg =~ /^selected proposal: ESP:(\S+)/) {
            $x->{esp_prop} = $1;
        } elsif ($msg =~ /^parsed \S+ (request|response) /) {
            # role for CHILD_SA keys: the last message parsed in this IKE_SA
            # was a response -> this node initiated the exchange
            $x->{role} = ($1 eq 'response') ? 'i' : 'r';
        }
        # IKEv2 key set complete once the Sk_pr dump has ended
        if (exists $x->{key}{'Sk_pr secret'} && !$x->{v2_taken}{$x->{key}{'Sk_pr secret'}}
            && length $x->{key}{'Sk_pr secret'}) {
            my $k = $x->{key};
            $x->{v2_taken}{$k->{'Sk_pr secret'}} = 1;
            push @pending_v2, { ei => $k->{'Sk_ei secret'}, er => $k->{'Sk_er secret'},
                                ai => $k->{'Sk_ai secret'}, ar => $k->{'Sk_ar secret'},
                                d => $k->{'Sk_d secret'}, pi => $k->{'Sk_pi secret'},
                                pr => $k->{'Sk_pr secret'},
                                prop => $x->{ike_prop} // '' };
        }
        if (exists $x->{key}{'encryption key Ka'} && length $x->{key}{'encryption key Ka'}
            && !$x->{v1_taken}{$x->{key}{'encryption key Ka'}}) {
            $x->{v1_taken}{$x->{key}{'encryption key Ka'}} = 1;
            push @pending_v1, $x->{key}{'encryption key Ka'};
        }
        if ($msg =~ /checkin IKEv(\d) SA \S+ with SPIs ([0-9a-f]{16})_i ([0-9a-f]{16})_r/) {
            my ($ver, $si, $sr) = ($1, $2, $3);
            next if $sr eq '0' x 16 || $spis_done{"$si $sr"};
            if ($ver == 2 && @pending_v2) {
                my $k = shift @pending_v2;
                $spis_done{"$si $sr"} = 1;
                # SK_d/SK_pi/SK_pr do not depend on the cipher: written even
                # when the Wireshark row cannot be
                if (length($k->{d} // '') && length($k->{pi} // '') && length($k->{pr} // '')) {
                    my $arow = "IKEV2 $si $sr SK_d=$k->{d} SK_pi=$k->{pi} SK_pr=$k->{pr}";
                    push @authrows, $arow unless $seen{$arow}++;
                }
                my @p = split m{/}, $k->{prop};
                my ($enc) = grep { exists $ikev2_encr{$_} } @p;
                my ($int) = grep { exists $ikev2_integ{$_} } @p;
                unless ($enc) { warn "extract-keys: unsupported IKE cipher in '$k->{prop}'\n"; next; }
                my $ie = $int ? $ikev2_integ{$int} : 'NONE [RFC4306]';
                my ($ai, $ar) = $int ? ($k->{ai}, $k->{ar}) : ('', '');
                my $row = join(',', $si, $sr, $k->{ei}, $k->{er}, "\"$ikev2_encr{$enc}[0]\"",
                               $ai, $ar, "\"$ie\"");
                push @v2rows, $row unless $seen{$row}++;
            } elsif ($ver == 1 && @pending_v1) {
                my $k = shift @pending_v1;
                $spis_done{"$si $sr"} = 1;
                my $row = "$si,$k";
                push @v1rows, $row unless $seen{$row}++;
            }
        }
        # ESP keys
        if ($msg =~ /^adding (inbound|outbound) ESP SA/) {
            $x->{esp_dir} = $1;
        } elsif ($msg =~ /^\s*SPI 0x([0-9a-f]{8}), src (\S+) dst (\S+)/ && $x->{esp_dir}) {
            my ($spi, $src, $dst) = ($1, $2, $3);
            my $k = $x->{key};
            # keys of the sender: outbound of the CHILD_SA initiator uses the
            # initiator keys, and so on
            my $role = $x->{role} // 'i';
            my $sender = ($x->{esp_dir} eq 'outbound') ? $role : ($role eq 'i' ? 'r' : 'i');
            my $who = $sender eq 'i' ? 'initiator' : 'responder';
            my $ek = $k->{"encryption $who key"};
            my $ik = $k->{"integrity $who key"};
            my @p = split m{/}, ($x->{esp_prop} // '');
            my $enc = esp_encr($p[0] // '');
            my ($int) = grep { exists $esp_integ{$_} } @p;
            delete $x->{esp_dir};
            unless (defined $ek && defined $enc) {
                warn "extract-keys: no ESP keys for SPI $spi\n"; next;
            }
            my $fam = $src =~ /:/ ? 'IPv6' : 'IPv4';
            my $row = join(',', map { "\"$_\"" } $fam, $src, $dst, "0x$spi", $enc, "0x$ek",
                           $int ? $esp_integ{$int} : 'NULL', $int ? "0x$ik" : '');
            push @esprows, $row unless $seen{$row}++;
        }
    }
    close $fh;
}

sub write_table {
    my ($name, @rows) = @_;
    return unless @rows;
    open my $o, '>', "$outdir/$name" or die "$outdir/$name: $!\n";
    print $o "# This file is automatically generated, DO NOT MODIFY.\n" unless $name eq 'esp_sa';
    print $o "# ikescope --keys extension lines (SK_d, SK_pi, SK_pr per IKEv2 SA)\n"
        if $name eq 'ikev2_auth_keys';
    print $o "$_\n" for @rows;
    close $o;
    printf "%s: %d row(s)\n", $name, scalar @rows;
}
write_table('ikev2_decryption_table', @v2rows);
write_table('ikev1_decryption_table', @v1rows);
write_table('esp_sa', @esprows);
write_table('ikev2_auth_keys', @authrows);
