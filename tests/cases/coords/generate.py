#!/usr/bin/env python3
"""Writes the coordinate-file test cases of this directory (<name>.txt + <name>.expect).

The case files are committed; this script documents how the encoded / odd variants (GBK, CRLF,
CR, BOM, UTF-16, invalid bytes) were made and regenerates them: `python3 generate.py`.
geo_coordfile_cases_test runs every <name>.txt against its <name>.expect (format: README.md).

The Ejin Horo green-mining demonstration zone: seed 004_fef4216582916c29.txt, 附表5, Xian 1980,
3-degree zone 37, 23 corner points (left column group 1-12, right 13-23). Planar area
1202.625014 km2; the seed prints 1202.62 (the value truncated, not rounded, to 0.01).
"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))

EJIN = [
    (4367770.34, 37399162.38), (4359356.35, 37405718.65), (4354730.29, 37398635.95),
    (4340097.23, 37410362.50), (4350485.01, 37431879.07), (4358995.16, 37428326.58),
    (4367671.34, 37423779.74), (4370374.66, 37427606.19), (4356097.54, 37443624.32),
    (4364645.90, 37450351.93), (4371969.16, 37450351.86), (4378216.20, 37438252.78),
    (4377537.69, 37436903.45), (4377072.48, 37436908.51), (4377652.66, 37436428.38),
    (4377487.97, 37436137.91), (4378062.78, 37436148.40), (4377952.74, 37434738.58),
    (4377817.64, 37433978.44), (4378062.72, 37433478.43), (4377100.96, 37431756.89),
    (4381378.66, 37428876.56), (4381378.65, 37415849.13),
]
NAME = "绿色矿业发展示范区"
EJIN_AREA = "1202.625014"

HEADER = """[属性描述]
格式版本号=1.0
数据产生单位=伊金霍洛旗自然资源局
数据产生日期=2021-12-31
坐标系=80西安坐标系
几度分带=3
投影类型=高斯克吕格
计量单位=米
带号=37
精度=0.01
转换参数=,,,,,,
[地块坐标]
"""

COMMON_EXPECT = f"""datum: Xian1980
epsg: 2361
crs: 西安80 3度带 37带
area_km2[0]: {EJIN_AREA}
points[0]: 23
rings[0]: 1
"""


def ejin_points(close=True, swap=False, start=1, ring=1, prefix=True):
    lines = []
    pts = EJIN + ([EJIN[0]] if close else [])
    for i, (x, y) in enumerate(pts):
        no = (i % len(EJIN)) + start
        if not prefix:
            y -= 37e6
        a, b = (y, x) if swap else (x, y)
        lines.append(f"J{no},{ring},{a:.2f},{b:.2f}")
    return "\n".join(lines) + "\n"


def ejin_exchange(**kw):
    n = len(EJIN) + (1 if kw.get("close", True) else 0)
    return HEADER + f"{n},1202.62,1,{NAME},面,,,,@\n" + ejin_points(**kw)


def write(name, text, expect, encoding="utf-8", newline="\n", raw=None):
    data = raw if raw is not None else text.replace("\n", newline).encode(encoding)
    with open(os.path.join(HERE, name + ".txt"), "wb") as f:
        f.write(data)
    if name.startswith("ejin"):
        # the zone as 附表5 states it: GB/T 8170 at the resolution 精度 0.01 m supports
        expect = re.sub(r"^area_km2\[(\d+)\]: " + re.escape(EJIN_AREA) + r"$",
                        lambda m: m.group(0) + "\nreported_km2[" + m.group(1) + "]: 1202.62",
                        expect, flags=re.M)
    with open(os.path.join(HERE, name + ".expect"), "w", encoding="utf-8") as f:
        f.write(expect.strip() + "\n")


def square(x0, y0, side, ring, start):
    """A square ring (file order X=northing, Y=easting), closed."""
    pts = [(y0, x0), (y0, x0 + side), (y0 + side, x0 + side), (y0 + side, x0), (y0, x0)]
    return "".join(f"J{start + i},{ring},{a:.2f},{b:.2f}\n" for i, (a, b) in enumerate(pts))


def main():
    ok = COMMON_EXPECT + "parcels: 1\nerrors: 0\ndeclared_unit[0]: km2\ndeclared_match[0]: truncated\n"

    # --- the Ejin Horo zone in every variant -------------------------------------------------
    write("ejin-utf8", ejin_exchange(), ok + f"encoding: UTF-8\nlayout: exchange\nname[0]: {NAME}\nnumber[0]: 1\n"
          "no_problem: unclosed-ring\nno_problem: xy-swapped\nattribute: 数据产生单位=伊金霍洛旗自然资源局\nhelmert: no\n")
    write("ejin-gbk-crlf", ejin_exchange(), ok + f"encoding: GB18030\nname[0]: {NAME}\n", encoding="gbk", newline="\r\n")
    write("ejin-gbk-lf", ejin_exchange(), ok + "encoding: GB18030\n", encoding="gbk")
    write("ejin-crlf", ejin_exchange(), ok + "encoding: UTF-8\n", newline="\r\n")
    write("ejin-cr", ejin_exchange(), ok + "encoding: UTF-8\n", newline="\r")
    write("ejin-bom", ejin_exchange(), ok + "encoding: UTF-8 BOM\n", raw=b"\xef\xbb\xbf" + ejin_exchange().encode())
    write("ejin-utf16", ejin_exchange(), ok + "encoding: UTF-16LE\n",
          raw=b"\xff\xfe" + ejin_exchange().replace("\n", "\r\n").encode("utf-16-le"))
    write("ejin-noclose", ejin_exchange(close=False), ok + "problem: unclosed-ring\nproblem_line: unclosed-ring 36\n")
    write("ejin-swapped", ejin_exchange(swap=True),
          ok + "problem: xy-swapped\nproblem_line: xy-swapped 14\nswapped[0]: yes\nno_problem: zone-mismatch\n")
    write("ejin-swapped-gbk-noclose", ejin_exchange(swap=True, close=False),
          ok + "problem: xy-swapped\nproblem: unclosed-ring\nencoding: GB18030\n", encoding="gbk", newline="\r\n")
    write("ejin-projinfo",
          "[项目信息]\n项目名称=伊金霍洛旗绿色矿山建设规划\n项目编号=150627-2021-LS\n行政区代码=150627\n\n" + ejin_exchange(),
          ok + "project_info: 项目名称=伊金霍洛旗绿色矿山建设规划\nproject_info: 行政区代码=150627\nproject_info_count: 3\n")
    write("ejin-missing-keys",
          "[属性描述]\n坐标系=西安80\n计量单位=米\n[地块坐标]\n24,1202.62,1," + NAME + ",面,,,,@\n" + ejin_points(),
          ok + "problem: inferred\n")
    no_datum_expect = (ok.replace("datum: Xian1980\n", "datum: CGCS2000\n").replace("epsg: 2361\n", "epsg: 4525\n")
                       .replace("crs: 西安80 3度带 37带\n", "crs: CGCS2000 3度带 37带\n"))
    write("ejin-no-attributes", "[地块坐标]\n24,1202.62,1," + NAME + ",面,,,,@\n" + ejin_points(),
          no_datum_expect + "problem: datum-assumed\nproblem: inferred\n")
    write("ejin-no-sections", "24,1202.62,1," + NAME + ",面,,,,@\n" + ejin_points(),
          no_datum_expect + "problem: missing-section\n")
    write("ejin-keys-no-section", "坐标系=1980西安坐标系\n带号=37\n" + "24,1202.62,1," + NAME + ",面,,,,@\n" + ejin_points(),
          ok + "problem: missing-section\n")
    write("ejin-unprefixed", HEADER + f"24,1202.62,1,{NAME},面,,,,@\n" + ejin_points(prefix=False),
          ok.replace("epsg: 2361", "epsg: 2382").replace("crs: 西安80 3度带 37带", "crs: 西安80 3度带 37带 (Y无带号)"))
    write("ejin-clockwise",
          HEADER + f"24,1202.62,1,{NAME},面,,,,@\n" +
          "".join(f"J{i+1},1,{x:.2f},{y:.2f}\n" for i, (x, y) in enumerate(list(reversed(EJIN)) + [EJIN[-1]])),
          ok)
    write("ejin-comments",
          "# exported by hand\n\n" + HEADER.replace("[地块坐标]\n", "; coordinates follow\n[地块坐标]\n\n") +
          f"24，1202.62，1，{NAME}，面，，，，@\n" +
          "".join(f"  J{i+1} , 1 , {x:.2f} , {y:.2f} ,\n" for i, (x, y) in enumerate(EJIN + [EJIN[0]])) + "\n// end\n",
          ok)
    write("ejin-helmert", HEADER.replace("转换参数=,,,,,,", "转换参数=-15.1,102.3,45.8,0.52,-1.33,2.01,3.4") +
          f"24,1202.62,1,{NAME},面,,,,@\n" + ejin_points(), ok + "helmert: yes\n")
    write("ejin-helmert-zero", HEADER.replace("转换参数=,,,,,,", "转换参数=0,0,0,0,0,0,0") +
          f"24,1202.62,1,{NAME},面,,,,@\n" + ejin_points(), ok + "helmert: no\nproblem: helmert-zero\n")
    write("ejin-crs-in-name",
          HEADER.replace("坐标系=80西安坐标系\n几度分带=3\n", "坐标系=西安80 3度带 37带\n").replace("带号=37\n", "") +
          f"24,1202.62,1,{NAME},面,,,,@\n" + ejin_points(), ok)
    write("ejin-epsg", HEADER.replace("坐标系=80西安坐标系", "坐标系=EPSG:2361") +
          f"24,1202.62,1,{NAME},面,,,,@\n" + ejin_points(), ok)
    write("ejin-cm-as-zone", HEADER.replace("带号=37", "带号=111") + f"24,1202.62,1,{NAME},面,,,,@\n" + ejin_points(),
          ok + "problem: inferred\n")

    # Several parcels: the zone, a 1 km square with a 200 m square hole, a two-part parcel.
    multi = (HEADER + f"24,1202.62,1,{NAME},面,,,,@\n" + ejin_points() +
             "10,96,2,带孔地块,面,,,,@\n" + square(37300000, 4300000, 1000, 1, 1) + square(37300400, 4300400, 200, 2, 6) +
             "10,2,3,两部分地块,面,,,,@\n" + square(37310000, 4300000, 1000, 1, 1) + square(37312000, 4300000, 1000, 2, 6))
    write("ejin-multi", multi, COMMON_EXPECT + "parcels: 3\nerrors: 0\ndeclared_unit[0]: km2\n"
          "area_m2[1]: 960000\nrings[1]: 2\nparts[1]: 1\nholes[1]: 1\ndeclared_unit[1]: ha\ndeclared_match[1]: exact\n"
          "area_m2[2]: 2000000\nparts[2]: 2\nholes[2]: 0\ndeclared_unit[2]: km2\nname[2]: 两部分地块\nproblem: multi-part\n")
    write("ejin-multi-gbk", multi, COMMON_EXPECT + "parcels: 3\nerrors: 0\nencoding: GB18030\nname[1]: 带孔地块\n",
          encoding="gbk", newline="\r\n")

    # Mining-right registration layout.
    reg_head = "坐标系=西安80\n带号=37\n几度分带=3\n矿山名称=" + NAME + "\n面积=1202.62平方公里\n拐点数=23\n"
    reg_pts = "".join(f"XY{i+1:03d}={i+1},{x:.2f},{y:.2f}\n" for i, (x, y) in enumerate(EJIN))
    write("ejin-registration", reg_head + reg_pts + "标高=1350,1200\n",
          ok + f"layout: registration\nelevation[0]: 1350,1200\nname[0]: {NAME}\nno_problem: point-count-mismatch\n")
    write("ejin-registration-gbk", reg_head + reg_pts + "标高=+1350m至+1200m\n",
          ok + "layout: registration\nencoding: GB18030\nelevation[0]: 1350,1200\n", encoding="gbk", newline="\r\n")
    reg2 = ("坐标系=西安80\n带号=37\n矿山名称=两层采矿权\n" +
            "".join(f"XY{i+1:03d}={i+1},{x:.2f},{y:.2f}\n" for i, (x, y) in enumerate(EJIN)) + "标高=1350,1200\n" +
            "".join(f"XY{i+24:03d}={i+1},{x:.2f},{y:.2f}\n" for i, (x, y) in enumerate(EJIN)) + "标高=1200,1000\n")
    write("registration-two-levels", reg2, COMMON_EXPECT.replace(f"area_km2[0]: {EJIN_AREA}\n", "") +
          f"layout: registration\nparcels: 2\narea_km2[0]: {EJIN_AREA}\narea_km2[1]: {EJIN_AREA}\n"
          "elevation[0]: 1350,1200\nelevation[1]: 1200,1000\nname[1]: 两层采矿权(2)\n")
    write("registration-no-elevation", "坐标系=西安80\n带号=37\n" + reg_pts, COMMON_EXPECT + "layout: registration\n"
          "problem: missing-elevation\n")

    # Geographic file (CGCS2000 lon/lat), a 0.1 x 0.1 degree cell near the Ejin Horo zone.
    geo = ("[属性描述]\n坐标系=2000国家大地坐标系\n投影类型=经纬度\n计量单位=度\n精度=0.0000001\n[地块坐标]\n"
           "5,,1,经纬度地块,面,,,,@\nJ1,1,39.4,109.8\nJ2,1,39.4,109.9\nJ3,1,39.5,109.9\nJ4,1,39.5,109.8\nJ5,1,39.4,109.8\n")
    write("geographic", geo, "parcels: 1\nerrors: 0\ndatum: CGCS2000\nepsg: 4490\npoints[0]: 4\n")

    # --- bad files -----------------------------------------------------------------------
    write("bad-empty", "", "error_line: 0\nerror_contains: 文件为空\nerror_contains: empty file\n")
    write("bad-blank", "\n\n  \n# only a comment\n", "error_contains: 期望坐标文件内容\n")
    lines = ejin_exchange().splitlines()
    write("bad-truncated", "\n".join(lines[:-3] + ["J22,1,4381378.66,"]) + "\n",
          "error_line: 35\nerror_field: Y\nerror_contains: 期望 Y 坐标\nerror_contains: truncated line\n")
    write("bad-truncated-3fields", "\n".join(lines[:20] + ["J9,1,4356097.54"]) + "\n",
          "error_line: 21\nerror_field: point\nerror_contains: 实际 3 个\n")
    bad_zone = ejin_exchange().replace("带号=37", "带号=36")
    write("bad-zone-prefix", bad_zone, "errors: 1\nproblem: zone-mismatch\nproblem_line: zone-mismatch 14\nepsg: 2360\n")
    write("bad-nonnumeric", ejin_exchange().replace("4350485.01", "435O485.01"),
          "error_line: 18\nerror_field: X\nerror_contains: 期望 X 坐标为数值\nerror_contains: '435O485.01'\n")
    write("bad-ring-number", ejin_exchange().replace("J3,1,", "J3,A,"), "error_line: 16\nerror_field: 圈号\n")
    bowtie = HEADER + "5,,1,自相交,面,,,,@\nJ1,1,4300000,37300000\nJ2,1,4301000,37301000\nJ3,1,4300000,37301000\nJ4,1,4301000,37300000\nJ1,1,4300000,37300000\n"
    write("bad-bowtie", bowtie, "errors: 1\nproblem: self-intersection\nparcels: 1\n")
    unclosed = HEADER + "4,,1,未闭合,面,,,,@\nJ1,1,4300000,37300000\nJ2,1,4300000,37301000\nJ3,1,4301000,37301000\nJ4,1,4301000,37300000\n"
    write("bad-unclosed", unclosed, "errors: 0\nproblem: unclosed-ring\nproblem_line: unclosed-ring 17\narea_m2[0]: 1000000\n")
    write("bad-encoding", None, "error_field: encoding\nerror_line: 13\nerror_contains: GB18030\n",
          raw=HEADER.encode("gbk") + b"24,1202.62,1,\xff\xfe\xff,\xc3\xe6,,,,@\n" + ejin_points().encode())
    write("bad-utf8-bom-invalid", None, "error_field: encoding\nerror_contains: BOM\n",
          raw=b"\xef\xbb\xbf" + HEADER.encode("gbk"))
    write("bad-nul", None, "error_field: encoding\nerror_contains: NUL\n", raw=HEADER.encode() + b"24,1,\x00\n")
    write("bad-header-only", HEADER, "error_line: 12\nerror_contains: 期望至少一个地块\n")
    write("bad-header-no-points", HEADER + f"24,1202.62,1,{NAME},面,,,,@\n",
          "error_line: 13\nerror_contains: 期望地块 1 有坐标点\n")
    write("bad-point-before-header", HEADER + ejin_points(), "error_line: 13\nerror_field: parcel\nerror_contains: 地块头\n")
    write("bad-unknown-section", ejin_exchange().replace("[地块坐标]", "[地块坐标表]"),
          "error_line: 12\nerror_field: section\nerror_contains: [地块坐标表]\n")
    write("bad-nan", ejin_exchange().replace("4359356.35", "nan"), "error_line: 15\nerror_contains: 有限数值\n")
    write("bad-inf", ejin_exchange().replace("37405718.65", "-inf"), "error_line: 15\nerror_field: Y\n")
    write("bad-huge", ejin_exchange().replace("37405718.65", "1e300"), "error_line: 15\nerror_contains: 1e9\n")
    write("bad-huge-overflow", ejin_exchange().replace("37405718.65", "1e400"), "error_line: 15\nerror_contains: 1e9\n")
    write("bad-two-points", HEADER + "3,,1,两点,面,,,,@\nJ1,1,4300000,37300000\nJ2,1,4300100,37300000\nJ1,1,4300000,37300000\n",
          "error_line: 14\nerror_field: ring\nerror_contains: 至少 3 个不同的点\n")
    write("bad-ring-revisit", HEADER + "7,,1,圈号乱序,面,,,,@\n" + square(37300000, 4300000, 1000, 1, 1)[:-1].rsplit("\n", 1)[0] + "\n"
          "J9,2,4300500,37300500\nJ10,1,4300000,37300000\n", "error_line: 19\nerror_field: 圈号\n")
    write("bad-duplicate-point", ejin_exchange().replace("J3,1,4354730.29,37398635.95\n",
                                                         "J3,1,4354730.29,37398635.95\nJ3,1,4354730.29,37398635.95\n"),
          COMMON_EXPECT + "errors: 0\nproblem: duplicate-point\nproblem_line: duplicate-point 17\nno_problem: point-count-mismatch\n")
    write("bad-point-count", ejin_exchange().replace("24,1202.62", "30,1202.62"),
          COMMON_EXPECT + "errors: 0\nproblem: point-count-mismatch\nproblem_line: point-count-mismatch 13\n")
    write("bad-area", ejin_exchange().replace("24,1202.62", "24,1402.62"),
          COMMON_EXPECT + "errors: 0\nproblem: area-mismatch\ndeclared_unit[0]:\n")
    write("bad-area-hectares", ejin_exchange().replace("24,1202.62", "24,120262.50"),
          COMMON_EXPECT + "errors: 0\ndeclared_unit[0]: ha\ndeclared_match[0]: exact\n")
    write("bad-area-mu", ejin_exchange().replace("24,1202.62", "24,1803937.52"),
          COMMON_EXPECT + "errors: 0\ndeclared_unit[0]: mu\n")
    mixed = ejin_exchange().splitlines()
    mixed[14] = "J3,1,37398635.95,4354730.29"
    write("bad-xy-mixed", "\n".join(mixed) + "\n", "errors: 1\nproblem: xy-mixed\nproblem_line: xy-mixed 15\n")
    write("bad-zone-unknown", "[属性描述]\n坐标系=西安80\n[地块坐标]\n24,1202.62,1,无带号,面,,,,@\n" + ejin_points(prefix=False),
          f"errors: 1\nproblem: zone-unknown\nepsg: 0\narea_km2[0]: {EJIN_AREA}\n")
    write("bad-helmert-count", HEADER.replace("转换参数=,,,,,,", "转换参数=1,2,3,4,5") + f"24,,1,x,面,,,,@\n" + ejin_points(),
          "error_line: 11\nerror_field: 转换参数\nerror_contains: 7 个转换参数\n")
    write("bad-zone-width", HEADER.replace("几度分带=3", "几度分带=5") + f"24,,1,x,面,,,,@\n" + ejin_points(),
          "error_line: 6\nerror_field: 几度分带\n")
    write("bad-header-count", HEADER + f"2x,1202.62,1,{NAME},面,,,,@\n" + ejin_points(),
          "error_line: 13\nerror_field: 点数\n")
    write("bad-registration-3fields", "坐标系=西安80\n带号=37\nXY001=4367770.34,37399162.38\n",
          "error_line: 3\nerror_field: XY001\nerror_contains: 点号,X,Y\n")
    write("bad-registration-elevation", "坐标系=西安80\n带号=37\n标高=1350,1200\n" + reg_pts,
          "error_line: 3\nerror_field: 标高\n")
    write("bad-line-shape", HEADER + "5,,1,线状,线,,,,@\n" + square(37300000, 4300000, 1000, 1, 1),
          "errors: 0\nproblem: not-polygon\n")
    write("bad-local-coordinates", "[属性描述]\n坐标系=西安80\n带号=37\n[地块坐标]\n5,,1,局部坐标,面,,,,@\n" + square(1000, 2000, 100, 1, 1),
          "problem: out-of-range\nerrors: 0\narea_m2[0]: 10000\n")
    write("bad-overlapping-rings", HEADER + "10,,1,圈相交,面,,,,@\n" + square(37300000, 4300000, 1000, 1, 1) +
          square(37300500, 4300500, 1000, 2, 6), "errors: 1\nproblem: self-intersection\n")


if __name__ == "__main__":
    main()
