namespace LabelFlip.Core.Internal;

/// <summary>
/// The natural logarithm exactly as GNU libc (2.28 and later) computes it on CPUs with fused multiply-add:
/// the algorithm, tables and polynomials of Szabolcs Nagy's <c>log</c> (Arm optimized-routines
/// <c>math/log.c</c>, imported into glibc as <c>sysdeps/ieee754/dbl-64/e_log.c</c>), with its multiply-adds
/// fused where the compiler fuses them in glibc's FMA build (<c>__log_fma</c> on x86-64, and on AArch64).
/// </summary>
/// <remarks>
/// Why: NumPy's legacy normals call the C library's <c>log</c>, which is accurate to about 0.52 ulp, not
/// correctly rounded: roughly one call in a thousand returns the other neighbour of the exact value, and
/// those calls change the study's data. This port reproduces those bits from IEEE operations only
/// (<see cref="Math.FusedMultiplyAdd"/> is exactly rounded everywhere), so it does not depend on the C
/// runtime of the machine it runs on, as <see cref="Math.Log(double)"/> would.
/// <para>Algorithm (symbols of the C source): x = 2^k·z with z in [0x1.6p−1, 0x1.6p0); i = the top 7 bits
/// of z's mantissa above OFF; r = fma(z, invc[i], −1); hi + lo = k·ln2 + log c[i] + r; result
/// lo + r²·A0 + r³·(A1 + r·A2 + r²·(A3 + r·A4)) + hi. Inputs within [1 − 2⁻⁴, 1 + 0x1.09p−4] use a
/// degree-12 polynomial in r = x − 1 with r² split exactly into r_hi² + correction.</para>
/// <para>Fusion: glibc's C source fuses only r = fma(z, invc, −1) explicitly; its FMA build lets the compiler
/// contract every a·b + c whose product has no other use. In the near-one path that changes results (an
/// unfused port differs from glibc within 3 million comparisons), and the fused port here agrees with glibc
/// on all of them; in the table path fused and unfused agree with glibc alike, and the fused form is kept.</para>
/// </remarks>
internal static class GlibcLog
{
    private const ulong Off = 0x3FE6000000000000;
    private const int TableBits = 7;
    private const int TableSize = 1 << TableBits;
    private const ulong NearOneLow = 0x3FEE000000000000;  // 1 − 2⁻⁴
    private const ulong NearOneHigh = 0x3FF1090000000000; // 1 + 0x1.09p−4
    // Static initialisers run in textual order: the bit patterns come before the arrays built from them.
    private static readonly ulong[] s_poly1Bits =
    [
        0xBFE0000000000000, // -0x1.0000000000000p-1
        0x3FD5555555555577, // 0x1.5555555555577p-2
        0xBFCFFFFFFFFFFDCB, // -0x1.ffffffffffdcbp-3
        0x3FC999999995DD0C, // 0x1.999999995dd0cp-3
        0xBFC55555556745A7, // -0x1.55555556745a7p-3
        0x3FC24924A344DE30, // 0x1.24924a344de30p-3
        0xBFBFFFFFA4423D65, // -0x1.fffffa4423d65p-4
        0x3FBC7184282AD6CA, // 0x1.c7184282ad6cap-4
        0xBFB999EB43B068FF, // -0x1.999eb43b068ffp-4
        0x3FB78182F7AFD085, // 0x1.78182f7afd085p-4
        0xBFB5521375D145CD, // -0x1.5521375d145cdp-4
    ];

    private static readonly ulong[] s_polyBits =
    [
        0xBFE0000000000001, // -0x1.0000000000001p-1
        0x3FD555555551305B, // 0x1.555555551305bp-2
        0xBFCFFFFFFFEB4590, // -0x1.fffffffeb4590p-3
        0x3FC999B324F10111, // 0x1.999b324f10111p-3
        0xBFC55575E506C89F, // -0x1.55575e506c89fp-3
    ];

    // (invc, logc) for i = 0..127.
    private static readonly ulong[] s_tableBits =
    [
        0x3FF734F0C3E0DE9F, 0xBFD7CC7F79E69000,
        0x3FF713786A2CE91F, 0xBFD76FEEC20D0000,
        0x3FF6F26008FAB5A0, 0xBFD713E31351E000,
        0x3FF6D1A61F138C7D, 0xBFD6B85B38287800,
        0x3FF6B1490BC5B4D1, 0xBFD65D5590807800,
        0x3FF69147332F0CBA, 0xBFD602D076180000,
        0x3FF6719F18224223, 0xBFD5A8CA86909000,
        0x3FF6524F99A51ED9, 0xBFD54F4356035000,
        0x3FF63356AA8F24C4, 0xBFD4F637C36B4000,
        0x3FF614B36B9DDC14, 0xBFD49DA7FDA85000,
        0x3FF5F66452C65C4C, 0xBFD445923989A800,
        0x3FF5D867B5912C4F, 0xBFD3EDF439B0B800,
        0x3FF5BABCCB5B90DE, 0xBFD396CE448F7000,
        0x3FF59D61F2D91A78, 0xBFD3401E17BDA000,
        0x3FF5805612465687, 0xBFD2E9E2EF468000,
        0x3FF56397CEE76BD3, 0xBFD2941B3830E000,
        0x3FF54725E2A77F93, 0xBFD23EC58CDA8800,
        0x3FF52AFF42064583, 0xBFD1E9E129279000,
        0x3FF50F22DBB2BDDF, 0xBFD1956D2B48F800,
        0x3FF4F38F4734DED7, 0xBFD141679AB9F800,
        0x3FF4D843CFDE2840, 0xBFD0EDD094EF9800,
        0x3FF4BD3EC078A3C8, 0xBFD09AA518DB1000,
        0x3FF4A27FC3E0258A, 0xBFD047E65263B800,
        0x3FF4880524D48434, 0xBFCFEB224586F000,
        0x3FF46DCE1B192D0B, 0xBFCF474A7517B000,
        0x3FF453D9D3391854, 0xBFCEA4443D103000,
        0x3FF43A2744B4845A, 0xBFCE020D44E9B000,
        0x3FF420B54115F8FB, 0xBFCD60A22977F000,
        0x3FF40782DA3EF4B1, 0xBFCCC00104959000,
        0x3FF3EE8F5D57FE8F, 0xBFCC202956891000,
        0x3FF3D5D9A00B4CE9, 0xBFCB81178D811000,
        0x3FF3BD60C010C12B, 0xBFCAE2C9CCD3D000,
        0x3FF3A5242B75DAB8, 0xBFCA45402E129000,
        0x3FF38D22CD9FD002, 0xBFC9A877681DF000,
        0x3FF3755BC5847A1C, 0xBFC90C6D69483000,
        0x3FF35DCE49AD36E2, 0xBFC87120A645C000,
        0x3FF34679984DD440, 0xBFC7D68FB4143000,
        0x3FF32F5CCEFFCB24, 0xBFC73CB83C627000,
        0x3FF3187775A10D49, 0xBFC6A39A9B376000,
        0x3FF301C8373E3990, 0xBFC60B3154B7A000,
        0x3FF2EB4EBB95F841, 0xBFC5737D76243000,
        0x3FF2D50A0219A9D1, 0xBFC4DC7B8FC23000,
        0x3FF2BEF9A8B7FD2A, 0xBFC4462C51D20000,
        0x3FF2A91C7A0C1BAB, 0xBFC3B08ABC830000,
        0x3FF293726014B530, 0xBFC31B996B490000,
        0x3FF27DFA5757A1F5, 0xBFC2875490A44000,
        0x3FF268B39B1D3BBF, 0xBFC1F3B9F879A000,
        0x3FF2539D838FF5BD, 0xBFC160C8252CA000,
        0x3FF23EB7AAC9083B, 0xBFC0CE7F57F72000,
        0x3FF22A012BA940B6, 0xBFC03CDC49FEA000,
        0x3FF2157996CC4132, 0xBFBF57BDBC4B8000,
        0x3FF201201DD2FC9B, 0xBFBE370896404000,
        0x3FF1ECF4494D480B, 0xBFBD17983EF94000,
        0x3FF1D8F5528F6569, 0xBFBBF9674ED8A000,
        0x3FF1C52311577E7C, 0xBFBADC79202F6000,
        0x3FF1B17C74CB26E9, 0xBFB9C0C3E7288000,
        0x3FF19E010C2C1AB6, 0xBFB8A646B372C000,
        0x3FF18AB07BB670BD, 0xBFB78D01B3AC0000,
        0x3FF1778A25EFBCB6, 0xBFB674F145380000,
        0x3FF1648D354C31DA, 0xBFB55E0E6D878000,
        0x3FF151B990275FDD, 0xBFB4485CDEA1E000,
        0x3FF13F0EA432D24C, 0xBFB333D94D6AA000,
        0x3FF12C8B7210F9DA, 0xBFB22079F8C56000,
        0x3FF11A3028ECB531, 0xBFB10E4698622000,
        0x3FF107FBDA8434AF, 0xBFAFFA6C6AD20000,
        0x3FF0F5EE0F4E6BB3, 0xBFADDA8D4A774000,
        0x3FF0E4065D2A9FCE, 0xBFABBCECE4850000,
        0x3FF0D244632CA521, 0xBFA9A1894012C000,
        0x3FF0C0A77CE2981A, 0xBFA788583302C000,
        0x3FF0AF2F83C636D1, 0xBFA5715E67D68000,
        0x3FF09DDB98A01339, 0xBFA35C8A49658000,
        0x3FF08CABAF52E7DF, 0xBFA149E364154000,
        0x3FF07B9F2F4E28FB, 0xBF9E72C082EB8000,
        0x3FF06AB58C358F19, 0xBF9A55F152528000,
        0x3FF059EEA5ECF92C, 0xBF963D62CF818000,
        0x3FF04949CDD12C90, 0xBF9228FB8CAA0000,
        0x3FF038C6C6F0ADA9, 0xBF8C317B20F90000,
        0x3FF02865137932A9, 0xBF8419355DAA0000,
        0x3FF0182427EA7348, 0xBF781203C2EC0000,
        0x3FF008040614B195, 0xBF60040979240000,
        0x3FEFE01FF726FA1A, 0x3F6FEFF384900000,
        0x3FEFA11CC261EA74, 0x3F87DC41353D0000,
        0x3FEF6310B081992E, 0x3F93CEA3C4C28000,
        0x3FEF25F63CEEADCD, 0x3F9B9FC114890000,
        0x3FEEE9C8039113E7, 0x3FA1B0D8CE110000,
        0x3FEEAE8078CBB1AB, 0x3FA58A5BD001C000,
        0x3FEE741AA29D0C9B, 0x3FA95C8340D88000,
        0x3FEE3A91830A99B5, 0x3FAD276AEF578000,
        0x3FEE01E009609A56, 0x3FB07598E598C000,
        0x3FEDCA01E577BB98, 0x3FB253F5E30D2000,
        0x3FED92F20B7C9103, 0x3FB42EDD8B380000,
        0x3FED5CAC66FB5CCE, 0x3FB606598757C000,
        0x3FED272CAA5EDE9D, 0x3FB7DA76356A0000,
        0x3FECF26E3E6B2CCD, 0x3FB9AB434E1C6000,
        0x3FECBE6DA2A77902, 0x3FBB78C7BB0D6000,
        0x3FEC8B266D37086D, 0x3FBD431332E72000,
        0x3FEC5894BD5D5804, 0x3FBF0A3171DE6000,
        0x3FEC26B533BB9F8C, 0x3FC067152B914000,
        0x3FEBF583EEECE73F, 0x3FC147858292B000,
        0x3FEBC4FD75DB96C1, 0x3FC2266ECDCA3000,
        0x3FEB951E0C864A28, 0x3FC303D7A6C55000,
        0x3FEB65E2C5EF3E2C, 0x3FC3DFC33C331000,
        0x3FEB374867C9888B, 0x3FC4BA366B7A8000,
        0x3FEB094B211D304A, 0x3FC5933928D1F000,
        0x3FEADBE885F2EF7E, 0x3FC66ACD2418F000,
        0x3FEAAF1D31603DA2, 0x3FC740F8EC669000,
        0x3FEA82E63FD358A7, 0x3FC815C0F51AF000,
        0x3FEA5740EF09738B, 0x3FC8E92954F68000,
        0x3FEA2C2A90AB4B27, 0x3FC9BB3602F84000,
        0x3FEA01A01393F2D1, 0x3FCA8BED1C2C0000,
        0x3FE9D79F24DB3C1B, 0x3FCB5B515C01D000,
        0x3FE9AE2505C7B190, 0x3FCC2967CCBCC000,
        0x3FE9852EF297CE2F, 0x3FCCF635D5486000,
        0x3FE95CBAEEA44B75, 0x3FCDC1BD3446C000,
        0x3FE934C69DE74838, 0x3FCE8C01B8CFE000,
        0x3FE90D4F2F6752E6, 0x3FCF5509C0179000,
        0x3FE8E6528EFFD79D, 0x3FD00E6C121FB800,
        0x3FE8BFCE9FCC007C, 0x3FD071B80E93D000,
        0x3FE899C0DABEC30E, 0x3FD0D46B9E867000,
        0x3FE87427AA2317FB, 0x3FD13687334BD000,
        0x3FE84F00ACB39A08, 0x3FD1980D67234800,
        0x3FE82A49E8653E55, 0x3FD1F8FFE0CC8000,
        0x3FE8060195F40260, 0x3FD2595FD7636800,
        0x3FE7E22563E0A329, 0x3FD2B9300914A800,
        0x3FE7BEB377DCB5AD, 0x3FD3187210436000,
        0x3FE79BAA679725C2, 0x3FD377266DEC1800,
        0x3FE77907F2170657, 0x3FD3D54FFBAF3000,
        0x3FE756CADBD6130C, 0x3FD432EEE32FE000,
    ];

    private static readonly double s_ln2Hi = BitConverter.UInt64BitsToDouble(0x3FE62E42FEFA3800);
    private static readonly double s_ln2Lo = BitConverter.UInt64BitsToDouble(0x3D2EF35793C76730);
    private static readonly double[] s_b = ToDoubles(s_poly1Bits);
    private static readonly double[] s_a = ToDoubles(s_polyBits);
    private static readonly double[] s_table = ToDoubles(s_tableBits);

    /// <summary>ln x as glibc's FMA build returns it; −∞ at ±0, NaN below 0 or for NaN, +∞ at +∞.</summary>
    public static double Log(double x)
    {
        ulong ix = BitConverter.DoubleToUInt64Bits(x);
        if (ix - NearOneLow < NearOneHigh - NearOneLow)
            return LogNearOne(x);

        uint top = (uint)(ix >> 48);
        if (top - 0x0010 >= 0x7FF0 - 0x0010)
        {
            // x < 2^−1022 (subnormal, zero or negative), infinity or NaN.
            if (ix * 2 == 0)
                return double.NegativeInfinity;
            if (ix == 0x7FF0000000000000)
                return x;
            if ((top & 0x8000) != 0 || (top & 0x7FF0) == 0x7FF0)
                return double.NaN;
            ix = BitConverter.DoubleToUInt64Bits(x * 4503599627370496.0); // 2^52: normalise a subnormal
            ix -= 52UL << 52;
        }

        ulong tmp = ix - Off;
        int i = (int)((tmp >> (52 - TableBits)) % TableSize);
        int k = (int)((long)tmp >> 52);
        ulong iz = ix - (tmp & (0xFFFUL << 52));
        double invc = s_table[2 * i];
        double logc = s_table[2 * i + 1];
        double z = BitConverter.UInt64BitsToDouble(iz);

        double r = Math.FusedMultiplyAdd(z, invc, -1.0);
        double kd = k;
        double w = Math.FusedMultiplyAdd(kd, s_ln2Hi, logc); // exact by the choice of the table
        double hi = w + r;
        double lo = Math.FusedMultiplyAdd(kd, s_ln2Lo, w - hi + r);

        double r2 = r * r;
        double p = Math.FusedMultiplyAdd(r2, Math.FusedMultiplyAdd(r, s_a[4], s_a[3]), Math.FusedMultiplyAdd(r, s_a[2], s_a[1]));
        double y = Math.FusedMultiplyAdd(r * r2, p, Math.FusedMultiplyAdd(r2, s_a[0], lo));
        return y + hi;
    }

    private static double LogNearOne(double x)
    {
        if (x == 1.0)
            return 0.0;
        double r = x - 1.0;
        double r2 = r * r;
        double r3 = r * r2;
        double inner = Math.FusedMultiplyAdd(r3, s_b[10], Math.FusedMultiplyAdd(r2, s_b[9], Math.FusedMultiplyAdd(r, s_b[8], s_b[7])));
        double middle = Math.FusedMultiplyAdd(r3, inner, Math.FusedMultiplyAdd(r2, s_b[6], Math.FusedMultiplyAdd(r, s_b[5], s_b[4])));
        double outer = Math.FusedMultiplyAdd(r3, middle, Math.FusedMultiplyAdd(r2, s_b[3], Math.FusedMultiplyAdd(r, s_b[2], s_b[1])));

        // r = rhi + rlo with rhi of 26 bits, so rhi² and its product with B0 = −½ are exact.
        double w = r * 134217728.0; // 2^27
        double rhi = r + w - w;
        double rlo = r - rhi;
        w = rhi * rhi * s_b[0];
        double hi = r + w;
        double lo = r - hi + w;
        lo = Math.FusedMultiplyAdd(s_b[0] * rlo, rhi + r, lo);
        double y = Math.FusedMultiplyAdd(r3, outer, lo);
        return y + hi;
    }

    private static double[] ToDoubles(ulong[] bits) => Array.ConvertAll(bits, BitConverter.UInt64BitsToDouble);
}
