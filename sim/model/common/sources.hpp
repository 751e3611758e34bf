#pragma once
// Sources cited by the parameter rows of more than one mechanism (each row says where its concept and
// value come from; docs/parameters.md lists them).
namespace pocsim::model::sources {

inline constexpr const char* epstein = "Epstein (2002), Modeling civil violence, PNAS 99(suppl. 3):7243-7250";
inline constexpr const char* netlogo = "Wilensky (2004), NetLogo Rebellion model";
inline constexpr const char* mesa = "Mesa examples, epstein_civil_violence (Mesa 3.x)";
inline constexpr const char* design = "pocsim design choice (docs/odd.md)";
inline constexpr const char* stylised = "stylised, not calibrated (docs/odd.md)";
inline constexpr const char* scheffer =
    "Scheffer, Baveco, DeAngelis, Rose and van Nes (1995), Super-individuals: a simple solution for modelling large "
    "populations on an individual basis, Ecological Modelling 80:161-170";
inline constexpr const char* narcologic = "Magliocca et al. (2019), NarcoLogic; route choice by expected cost and learned risk";
inline constexpr const char* brief = "Boutellis and Osland (2020), Preventing Organized Crime, NUPI Report 7/2020: unpaid police are part of the problem and the solution";
inline constexpr const char* brief_groups =
    "Boutellis and Osland (2020), Preventing Organized Crime, NUPI Report 7/2020: organized crime sustains armed groups that can spoil a peace process";
inline constexpr const char* bohorquez = "Bohorquez et al. (2009), Common ecology quantifies human insurgency, Nature 462:911-914";
inline constexpr const char* prieto =
    "Prieto-Curiel et al. (2023), Reducing cartel recruitment is the only way to lower violence in Mexico, Science 381:1312";
inline constexpr const char* calderon =
    "Calderon et al. (2015), The beheading of criminal organizations and the dynamics of violence in Mexico, JCR 59(8)";
inline constexpr const char* hultman =
    "Hultman, Kathman and Shannon (2013), United Nations peacekeeping and civilian protection in civil war, AJPS 57(4)";
inline constexpr const char* pires =
    "Pires and Crooks (2016), The geography of conflict diamonds: the case of Sierra Leone, SBP-BRiMS, LNCS 9708";

}  // namespace pocsim::model::sources
